import type { AddStatus, Archive } from '../../archive/archive.js';
import { CVTArchive, type CVTArchiveSnapshot } from '../../archive/cvt-archive.js';
import type { Rng } from '../../rng/rng.js';
import type { ParentSelection } from './options.js';

/** A network the strategy may pick as a parent. */
export interface NetworkEntry {
  id: string;
  code: string;
  fitness: number;
  descriptors: number[];
}

/**
 * Where LLMatic keeps parents: the network archive (default) or, for the prompt-archive-only
 * ablation, a population ranked by fitness.
 */
export interface NetworkPool {
  readonly size: number;
  add(entry: NetworkEntry): AddStatus;
  /** A parent: a uniformly random member, or the fittest of a tournament. */
  select(rng: Rng, selection: ParentSelection): NetworkEntry;
  /** `k` distinct uniformly random members (all when there are fewer). */
  sampleDistinct(rng: Rng, k: number): NetworkEntry[];
  /** A crossover mate for `parent`, or undefined when there is none. */
  mate(parent: NetworkEntry, rng: Rng, neighbours: number): NetworkEntry | undefined;
  snapshot(): unknown;
  archive(): Archive<unknown> | undefined;
}

type Payload = { id: string; code: string };

/** The fittest of `size` draws with replacement (the first drawn wins a tie). */
function tournament(draw: () => NetworkEntry, size: number): NetworkEntry {
  let winner = draw();
  for (let i = 1; i < size; i++) {
    const member = draw();
    if (member.fitness > winner.fitness) winner = member;
  }
  return winner;
}

function select(draw: () => NetworkEntry, selection: ParentSelection): NetworkEntry {
  return selection.kind === 'tournament' ? tournament(draw, selection.size) : draw();
}

function toEntry(elite: { payload: Payload; fitness: number; descriptors: number[] }): NetworkEntry {
  return { ...elite.payload, fitness: elite.fitness, descriptors: elite.descriptors };
}

/** The paper's CVT-MAP-Elites network archive. */
export class ArchiveNetworkPool implements NetworkPool {
  constructor(private readonly networks: CVTArchive<Payload>) {}

  static restore(snapshot: unknown): ArchiveNetworkPool {
    return new ArchiveNetworkPool(CVTArchive.fromJSON(snapshot as CVTArchiveSnapshot<Payload>));
  }

  get size(): number {
    return this.networks.size;
  }

  add(entry: NetworkEntry): AddStatus {
    return this.networks.add(entry.descriptors, entry.fitness, { id: entry.id, code: entry.code })
      .status;
  }

  select(rng: Rng, selection: ParentSelection): NetworkEntry {
    return select(() => {
      const elite = this.networks.sample(rng);
      if (!elite) throw new Error('LLMatic: cannot pick a parent from an empty network archive');
      return toEntry(elite);
    }, selection);
  }

  sampleDistinct(rng: Rng, k: number): NetworkEntry[] {
    return rng.sample(this.networks.elites(), k).map(toEntry);
  }

  mate(parent: NetworkEntry, rng: Rng, neighbours: number): NetworkEntry | undefined {
    const exclude = this.networks.nicheOf(parent.descriptors);
    const near = this.networks.nearest(parent.descriptors, neighbours, exclude);
    return near.length > 0 ? toEntry(rng.pick(near)) : undefined;
  }

  snapshot(): unknown {
    return this.networks.toJSON();
  }

  archive(): Archive<unknown> {
    return this.networks;
  }
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * The prompt-archive-only ablation: the best `capacity` networks by fitness; the crossover mate is
 * the most similar member by cosine similarity of bound-normalised descriptors.
 */
export class RankedNetworkPool implements NetworkPool {
  constructor(
    private readonly capacity: number,
    private readonly bounds: readonly (readonly [number, number])[],
    private members: NetworkEntry[] = [],
  ) {}

  get size(): number {
    return this.members.length;
  }

  add(entry: NetworkEntry): AddStatus {
    const worst = this.members[this.members.length - 1];
    if (this.members.length >= this.capacity && worst && entry.fitness <= worst.fitness) {
      return 'rejected';
    }
    this.members.push(entry);
    this.members.sort((a, b) => b.fitness - a.fitness);
    this.members = this.members.slice(0, this.capacity);
    return 'new';
  }

  select(rng: Rng, selection: ParentSelection): NetworkEntry {
    return select(() => rng.pick(this.members), selection);
  }

  sampleDistinct(rng: Rng, k: number): NetworkEntry[] {
    return rng.sample(this.members, k);
  }

  mate(parent: NetworkEntry): NetworkEntry | undefined {
    const normalise = (d: readonly number[]) =>
      d.map((v, i) => {
        const [low, high] = this.bounds[i] ?? [0, 1];
        return (v - low) / (high - low);
      });
    const target = normalise(parent.descriptors);
    let best: NetworkEntry | undefined;
    let bestScore = -Infinity;
    for (const member of this.members) {
      if (member.id === parent.id) continue;
      const score = cosine(target, normalise(member.descriptors));
      if (score > bestScore) {
        bestScore = score;
        best = member;
      }
    }
    return best;
  }

  snapshot(): unknown {
    return { capacity: this.capacity, members: this.members };
  }

  static restore(
    snapshot: unknown,
    bounds: readonly (readonly [number, number])[],
  ): RankedNetworkPool {
    const { capacity, members } = snapshot as { capacity: number; members: NetworkEntry[] };
    return new RankedNetworkPool(capacity, bounds, members);
  }

  archive(): undefined {
    return undefined;
  }
}
