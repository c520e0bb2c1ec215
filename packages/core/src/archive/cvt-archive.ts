import { z } from 'zod';
import type { Rng } from '../rng/rng.js';
import type { AddResult, AddStatus, Archive, Elite } from './archive.js';
import { loadOrComputeCentroids, type CentroidOrigin } from './centroid-cache.js';
import { resolveCVTOptions, type CVTArchiveOptions } from './cvt-options.js';
import { cvtArchiveSnapshotSchema, type CVTArchiveCounters, type CVTArchiveSnapshot } from './cvt-snapshot.js';
import { KdTree } from './kd-tree.js';
import { nearestElites } from './nearest-elites.js';
import { checkDescriptors, normalise } from './normalise.js';

export type { CentroidOrigin } from './centroid-cache.js';
export { MAX_NICHES, defaultSamples, type CVTArchiveOptions } from './cvt-options.js';
export { cvtArchiveSnapshotSchema, type CVTArchiveCounters, type CVTArchiveSnapshot } from './cvt-snapshot.js';
export { normalise, type DescriptorBounds, type NormalisedDescriptors } from './normalise.js';

/**
 * A CVT-MAP-Elites archive (Vassiliades et al. 2017): `niches` centroids spread over the unit cube
 * by k-means, each niche holding the fittest solution whose normalised descriptors are nearest to
 * its centroid.
 *
 * - Descriptors are normalised by the declared `bounds` to [0, 1] before the niche is chosen;
 *   values outside the bounds are clipped to the nearest face and counted in `clippedCount`.
 * - A candidate replaces an elite only with a strictly greater fitness: on a tie the incumbent
 *   stays (status `rejected`), so the first solution to reach a fitness keeps its niche.
 * - Elites are frozen objects; change one with {@link CVTArchive.update}.
 * - {@link CVTArchive.toJSON} and {@link CVTArchive.fromJSON} save and restore the archive exactly,
 *   centroids included.
 *
 * @example
 * const archive = new CVTArchive<string>({ bounds: [[0, 200], [2e8, 5e9]], niches: 100, seed: 7 });
 * archive.add([12, 8e8], 0.91, 'net-1'); // { status: 'new', niche: <its niche>, clipped: false }
 */
export class CVTArchive<T> implements Archive<T> {
  readonly dimensions: number;
  readonly niches: number;
  readonly bounds: readonly (readonly [number, number])[];
  /** Seed the centroids were computed from. */
  readonly seed: number;
  /** Uniform samples k-means clustered (the resolved default when none was given). */
  readonly samples: number;
  /** Subtracted from every fitness in {@link CVTArchive.qdScore}. */
  readonly qdOffset: number;
  /** Whether the centroids were computed now, read from `cacheDir`, or given. */
  readonly centroidOrigin: CentroidOrigin;

  private readonly centroidData: Float64Array;
  private readonly index: KdTree;
  private readonly slots: (Elite<T> | undefined)[];
  /** Occupied niches in the order they were first filled: what `sample()` draws from. */
  private readonly order: number[] = [];
  private readonly counts: CVTArchiveCounters = { offered: 0, new: 0, improved: 0, rejected: 0, clipped: 0 };

  /** Computes (or loads, or takes) the centroids. Throws a RangeError on invalid options. */
  constructor(options: CVTArchiveOptions) {
    const resolved = resolveCVTOptions(options);
    this.bounds = Object.freeze(resolved.bounds.map((pair) => Object.freeze(pair)));
    this.dimensions = resolved.bounds.length;
    this.niches = resolved.niches;
    this.seed = resolved.seed;
    this.samples = resolved.samples;
    this.qdOffset = resolved.qdOffset;
    if (resolved.centroids) {
      this.centroidData = resolved.centroids;
      this.centroidOrigin = 'given';
    } else {
      const spec = { dimensions: this.dimensions, niches: this.niches, seed: this.seed, samples: this.samples };
      const { data, origin } = loadOrComputeCentroids(spec, resolved.cacheDir);
      this.centroidData = data;
      this.centroidOrigin = origin;
    }
    this.index = new KdTree(this.centroidData, this.dimensions);
    this.slots = new Array<Elite<T> | undefined>(this.niches).fill(undefined);
  }

  /** The centroids, in normalised [0, 1]^d space, one row per niche (a copy). */
  get centroids(): number[][] {
    const d = this.dimensions;
    return Array.from({ length: this.niches }, (_, c) => Array.from(this.centroidData.subarray(c * d, (c + 1) * d)));
  }

  get size(): number {
    return this.order.length;
  }

  get coverage(): number {
    return this.order.length / this.niches;
  }

  /** Sum over elites of `fitness - qdOffset`, summed in niche order. */
  get qdScore(): number {
    let score = 0;
    for (const elite of this.slots) if (elite) score += elite.fitness - this.qdOffset;
    return score;
  }

  get clippedCount(): number {
    return this.counts.clipped;
  }

  /** Running totals: offers, new, improved, rejected, clipped values (a copy). */
  get counters(): CVTArchiveCounters {
    return { ...this.counts };
  }

  /**
   * Offers a solution. Its niche is the centroid nearest to its normalised descriptors. It is
   * kept when the niche is empty (`new`) or its fitness is strictly greater than the elite's
   * (`improved`); otherwise, ties included, it is `rejected`. `incumbent` is the elite it
   * replaced or lost to. Throws a RangeError on a wrong descriptor count or a non-finite value.
   */
  add(descriptors: readonly number[], fitness: number, payload: T): AddResult<T> {
    checkDescriptors(descriptors, this.dimensions, 'CVTArchive.add');
    checkFitness(fitness, 'CVTArchive.add');
    const { values, clipped } = normalise(descriptors, this.bounds);
    const niche = this.index.nearest(values);
    const incumbent = this.slots[niche];
    const status: AddStatus = incumbent === undefined ? 'new' : fitness > incumbent.fitness ? 'improved' : 'rejected';
    this.counts.offered++;
    this.counts.clipped += clipped;
    this.counts[status]++;
    if (status !== 'rejected') {
      this.slots[niche] = freezeElite({ niche, descriptors: [...descriptors], normalized: values, fitness, payload });
      if (status === 'new') this.order.push(niche);
    }
    return incumbent === undefined
      ? { status, niche, clipped: clipped > 0 }
      : { status, niche, incumbent, clipped: clipped > 0 };
  }

  /** The niche raw `descriptors` fall in. Clips like `add()` but does not count the clipping. */
  nicheOf(descriptors: readonly number[]): number {
    checkDescriptors(descriptors, this.dimensions, 'CVTArchive.nicheOf');
    return this.index.nearest(normalise(descriptors, this.bounds).values);
  }

  /** The elite of `niche`, if any. Throws a RangeError when `niche` is not in 0..niches-1. */
  get(niche: number): Elite<T> | undefined {
    this.checkNiche(niche, 'CVTArchive.get');
    return this.slots[niche];
  }

  /** All elites, in niche order. */
  elites(): Elite<T>[] {
    return this.slots.filter((elite): elite is Elite<T> => elite !== undefined);
  }

  /** The fittest elite; on a tie, the one in the lowest niche. */
  best(): Elite<T> | undefined {
    let best: Elite<T> | undefined;
    for (const elite of this.slots) if (elite && (best === undefined || elite.fitness > best.fitness)) best = elite;
    return best;
  }

  /** A uniformly random elite (one `rng.int` draw), or undefined when the archive is empty. */
  sample(rng: Rng): Elite<T> | undefined {
    if (this.order.length === 0) return undefined;
    return this.slots[this.order[rng.int(0, this.order.length - 1)] as number];
  }

  /**
   * The `k` elites nearest to raw `descriptors`, measured between normalised descriptors (not
   * centroids), nearest first, ties by niche index. `exclude` is a niche to leave out, e.g. the
   * parent's own. Returns fewer than `k` when the archive holds fewer.
   */
  nearest(descriptors: readonly number[], k: number, exclude?: number): Elite<T>[] {
    checkDescriptors(descriptors, this.dimensions, 'CVTArchive.nearest');
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`CVTArchive.nearest: k must be an integer >= 0, got ${k}`);
    const point = normalise(descriptors, this.bounds).values;
    return nearestElites(this.elites(), point, k, exclude);
  }

  /**
   * Replaces the elite of `niche` by `change(elite)`. The change may set a new fitness and
   * payload, and new descriptors that fall in the same niche (e.g. a prompt individual's latest
   * temperature); it must not move the elite to another niche (to do that, `add()` it).
   * Throws when the niche is empty or the change moves the elite.
   */
  update(niche: number, change: (elite: Elite<T>) => Elite<T>): void {
    this.checkNiche(niche, 'CVTArchive.update');
    const current = this.slots[niche];
    if (current === undefined) throw new RangeError(`CVTArchive.update: niche ${niche} holds no elite; add() one first`);
    const next = change(current);
    const moved = !sameValues(next.descriptors, current.descriptors);
    if (moved) checkDescriptors(next.descriptors, this.dimensions, 'CVTArchive.update');
    const normalized = moved ? normalise(next.descriptors, this.bounds).values : current.normalized;
    if (next.niche !== niche || (moved && this.index.nearest(normalized) !== niche)) {
      throw new RangeError(
        `CVTArchive.update: the change moved the elite of niche ${niche}; keep it in its niche, change only fitness, payload and descriptors within the niche (to move a solution, add() it)`,
      );
    }
    checkFitness(next.fitness, 'CVTArchive.update');
    const descriptors = moved ? [...next.descriptors] : current.descriptors;
    this.slots[niche] = freezeElite({ ...current, descriptors, normalized, fitness: next.fitness, payload: next.payload });
  }

  /** The whole archive as plain data; `JSON.stringify(archive)` uses it. */
  toJSON(): CVTArchiveSnapshot<T> {
    return {
      format: 'llmatic/cvt-archive',
      version: 1,
      bounds: this.bounds.map(([low, high]) => [low, high]),
      niches: this.niches,
      seed: this.seed,
      samples: this.samples,
      qdOffset: this.qdOffset,
      centroids: this.centroids,
      elites: this.order.map((niche) => plainElite(this.slots[niche] as Elite<T>)),
      counters: { ...this.counts },
    };
  }

  /**
   * Rebuilds an archive saved with {@link CVTArchive.toJSON} (or parsed from its JSON): same
   * centroids, elites, sampling order and counters. Throws an Error naming each invalid field.
   * @param parsePayload - optional check or conversion of each stored payload.
   */
  static fromJSON<T>(snapshot: CVTArchiveSnapshot<T>, parsePayload?: (raw: unknown) => T): CVTArchive<T> {
    const parsed = cvtArchiveSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new Error(`CVTArchive.fromJSON: not a CVT archive snapshot:\n${z.prettifyError(parsed.error)}`);
    }
    const data = parsed.data;
    const archive = new CVTArchive<T>({
      bounds: data.bounds,
      niches: data.niches,
      seed: data.seed,
      samples: data.samples,
      qdOffset: data.qdOffset,
      centroids: data.centroids,
    });
    for (const elite of data.elites) {
      const payload = parsePayload ? parsePayload(elite.payload) : (elite.payload as T);
      archive.restoreElite(elite.niche, elite.descriptors, elite.fitness, payload);
    }
    Object.assign(archive.counts, data.counters);
    return archive;
  }

  private restoreElite(niche: number, descriptors: number[], fitness: number, payload: T): void {
    checkDescriptors(descriptors, this.dimensions, 'CVTArchive.fromJSON');
    const normalized = normalise(descriptors, this.bounds).values;
    const actual = this.index.nearest(normalized);
    if (actual !== niche || this.slots[niche] !== undefined) {
      throw new Error(
        `CVTArchive.fromJSON: the elite stored in niche ${niche} belongs to niche ${actual} or repeats a niche; the snapshot is corrupt or was edited`,
      );
    }
    this.slots[niche] = freezeElite({ niche, descriptors, normalized, fitness, payload });
    this.order.push(niche);
  }

  private checkNiche(niche: number, owner: string): void {
    if (!Number.isInteger(niche) || niche < 0 || niche >= this.niches) {
      throw new RangeError(`${owner}: niche must be an integer from 0 to ${this.niches - 1}, got ${niche}`);
    }
  }
}

function checkFitness(fitness: number, owner: string): void {
  if (typeof fitness !== 'number' || !Number.isFinite(fitness)) {
    throw new RangeError(`${owner}: fitness must be a finite number, got ${String(fitness)}; record failures outside the archive`);
  }
}

function freezeElite<T>(elite: Elite<T>): Elite<T> {
  Object.freeze(elite.descriptors);
  Object.freeze(elite.normalized);
  return Object.freeze(elite);
}

function plainElite<T>(elite: Elite<T>): Elite<T> {
  return { ...elite, descriptors: [...elite.descriptors], normalized: [...elite.normalized] };
}

function sameValues(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
