import type { Archive } from '../../archive/archive.js';
import { CVTArchive, type CVTArchiveSnapshot } from '../../archive/cvt-archive.js';
import type { Rng } from '../../rng/rng.js';
import { InstructionBandit, type InstructionRecord } from './prompt-bandit.js';
import { clamp, freshIndividual, type PromptIndividual } from './prompt-individual.js';

/** A prompt individual chosen for an offspring, and where it is stored (if it is). */
export interface PromptChoice {
  individual: PromptIndividual;
  niche?: number;
}

/** How an offspring made by a prompt individual turned out. */
export interface PromptCredit {
  /** The offspring: the origin of an individual its result creates. */
  offspringId: string;
  /** The temperature actually used. */
  temperature: number;
  /** Curiosity change: entered / rejected / failed. */
  curiosity: number;
  /** The network was at least as good as the previous generation's best. */
  good: boolean;
  /** The child was valid and fitter than its parent; null when the parent's fitness is unknown. */
  improved: boolean | null;
  step: number;
  range: readonly [number, number];
}

export type PromptSelection = 'curiosity' | 'bandit';

/** Where LLMatic keeps prompt individuals: the prompt archive, or a fixed population (ablation). */
export interface PromptPool {
  readonly size: number;
  choose(selection: PromptSelection, rng: Rng, temperature: number): PromptChoice;
  credit(choice: PromptChoice, credit: PromptCredit): void;
  snapshot(): unknown;
  archive(): Archive<unknown> | undefined;
}

/** A niche per (instruction, temperature bin): instruction ids are categories, not a scale. */
export function promptGridCentroids(instructions: number, bins: number): number[][] {
  const centroids: number[][] = [];
  for (let p = 0; p < instructions; p++) {
    for (let b = 0; b < bins; b++) centroids.push([(p + 0.5) / instructions, (b + 0.5) / bins]);
  }
  return centroids;
}

interface ArchivePromptSnapshot {
  archive: CVTArchiveSnapshot<PromptIndividual>;
  bandit: InstructionRecord[];
}

/**
 * The prompt archive over (instruction, temperature), with the instruction bandit. Scores
 * accumulate on the stored individual that made a network; a result whose temperature falls in
 * another niche offers a new individual there that carries only that result, so no history is
 * copied from niche to niche.
 */
export class ArchivePromptPool implements PromptPool {
  constructor(
    private readonly prompts: CVTArchive<PromptIndividual>,
    private readonly instructions: number,
    private readonly bandit: InstructionBandit,
  ) {}

  static create(instructions: number, bins: number, seed: number): ArchivePromptPool {
    const archive = new CVTArchive<PromptIndividual>({
      bounds: [
        [0, 1],
        [0, 1],
      ],
      niches: instructions * bins,
      seed,
      centroids: promptGridCentroids(instructions, bins),
    });
    return new ArchivePromptPool(archive, instructions, InstructionBandit.empty(instructions));
  }

  static restore(snapshot: unknown, instructions: number): ArchivePromptPool {
    const state = snapshot as ArchivePromptSnapshot;
    const archive = CVTArchive.fromJSON(state.archive);
    return new ArchivePromptPool(archive, instructions, InstructionBandit.restore(state.bandit, instructions));
  }

  get size(): number {
    return this.prompts.size;
  }

  choose(selection: PromptSelection, rng: Rng, temperature: number): PromptChoice {
    if (selection === 'bandit') return this.mostCurious(rng, this.bandit.choose(rng), temperature);
    // The paper: half the most curious individual, half a uniformly random instruction.
    if (rng.chance(0.5)) {
      const elites = this.prompts.elites();
      if (elites.length > 0) {
        const top = Math.max(...elites.map((e) => e.payload.curiosity));
        const elite = rng.pick(elites.filter((e) => e.payload.curiosity === top));
        return { individual: { ...elite.payload }, niche: elite.niche };
      }
    }
    const promptId = rng.int(0, this.instructions - 1);
    const stored = this.prompts.elites().filter((e) => e.payload.promptId === promptId);
    if (stored.length === 0) return { individual: freshIndividual(promptId, temperature) };
    const elite = rng.pick(stored);
    return { individual: { ...elite.payload }, niche: elite.niche };
  }

  /** The most curious stored individual of `promptId`, or a fresh one at `temperature`. */
  private mostCurious(rng: Rng, promptId: number, temperature: number): PromptChoice {
    const stored = this.prompts.elites().filter((e) => e.payload.promptId === promptId);
    if (stored.length === 0) return { individual: freshIndividual(promptId, temperature) };
    const top = Math.max(...stored.map((e) => e.payload.curiosity));
    const elite = rng.pick(stored.filter((e) => e.payload.curiosity === top));
    return { individual: { ...elite.payload }, niche: elite.niche };
  }

  credit(choice: PromptChoice, credit: PromptCredit): void {
    const { promptId } = choice.individual;
    if (credit.improved !== null) this.bandit.record(promptId, credit.improved);
    const nextTemperature = clamp(credit.temperature + (credit.good ? credit.step : -credit.step), credit.range);
    const descriptors = this.descriptorsOf(promptId, credit.temperature);
    const used = this.prompts.nicheOf(descriptors);
    const stored = choice.niche === undefined ? undefined : this.prompts.get(choice.niche);
    const gain = credit.good ? 1 : 0;
    if (stored && stored.payload.origin === choice.individual.origin) {
      const sameNiche = used === stored.niche;
      this.prompts.update(stored.niche, (elite) => {
        const payload: PromptIndividual = {
          ...elite.payload,
          curiosity: elite.payload.curiosity + credit.curiosity,
          fitness: elite.payload.fitness + gain,
          nextTemperature,
          // The stored temperature is the one that made its latest network, while it stays in its niche.
          ...(sameNiche ? { temperature: credit.temperature } : {}),
        };
        return { ...elite, fitness: payload.fitness, payload, ...(sameNiche ? { descriptors } : {}) };
      });
      if (sameNiche) return;
    }
    this.prompts.add(descriptors, gain, {
      promptId,
      temperature: credit.temperature,
      nextTemperature,
      curiosity: credit.curiosity,
      fitness: gain,
      origin: credit.offspringId,
    });
  }

  private descriptorsOf(promptId: number, temperature: number): number[] {
    return [(promptId + 0.5) / this.instructions, temperature];
  }

  snapshot(): ArchivePromptSnapshot {
    return { archive: this.prompts.toJSON(), bandit: this.bandit.snapshot() };
  }

  archive(): Archive<unknown> {
    return this.prompts;
  }
}

/**
 * The network-archive-only ablation: a fixed population of random prompt individuals that share
 * one score and never change.
 */
export class FixedPromptPool implements PromptPool {
  constructor(
    private readonly members: PromptIndividual[],
    private sharedScore = 0,
  ) {}

  static random(size: number, instructions: number, rng: Rng, range: readonly [number, number]): FixedPromptPool {
    const members = Array.from({ length: size }, (_, i) =>
      freshIndividual(rng.int(0, instructions - 1), rng.uniform(range[0], range[1]), `fixed-${i}`),
    );
    return new FixedPromptPool(members);
  }

  static restore(snapshot: unknown): FixedPromptPool {
    const { members, sharedScore } = snapshot as { members: PromptIndividual[]; sharedScore: number };
    return new FixedPromptPool(members, sharedScore);
  }

  get size(): number {
    return this.members.length;
  }

  choose(_selection: PromptSelection, rng: Rng): PromptChoice {
    return { individual: { ...rng.pick(this.members) } };
  }

  credit(_choice: PromptChoice, credit: PromptCredit): void {
    this.sharedScore += credit.curiosity;
  }

  snapshot(): unknown {
    return { members: this.members, sharedScore: this.sharedScore };
  }

  archive(): undefined {
    return undefined;
  }
}
