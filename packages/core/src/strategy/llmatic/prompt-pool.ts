import type { Archive } from '../../archive/archive.js';
import { CVTArchive, type CVTArchiveSnapshot } from '../../archive/cvt-archive.js';
import type { Rng } from '../../rng/rng.js';
import { clamp, type PromptIndividual } from './prompt-individual.js';

/** A prompt individual chosen for an offspring, and where it is stored (if it is). */
export interface PromptChoice {
  individual: PromptIndividual;
  niche?: number;
}

/** How an offspring made by a prompt individual turned out. */
export interface PromptCredit {
  /** The temperature actually used. */
  temperature: number;
  /** Curiosity change: entered / rejected / failed. */
  curiosity: number;
  /** The network was at least as good as the previous generation's best. */
  good: boolean;
  step: number;
  range: readonly [number, number];
}

/** Where LLMatic keeps prompt individuals: the prompt archive, or a fixed population (ablation). */
export interface PromptPool {
  readonly size: number;
  choose(mode: 'curious' | 'random', rng: Rng, promptCount: number, temperature: number): PromptChoice;
  credit(choice: PromptChoice, credit: PromptCredit): void;
  /** Offers a fresh individual (warm-up offspring). */
  offer(individual: PromptIndividual): void;
  snapshot(): unknown;
  archive(): Archive<unknown> | undefined;
}

/** The paper's prompt archive over (prompt id / number of prompts, temperature). */
export class ArchivePromptPool implements PromptPool {
  constructor(
    private readonly prompts: CVTArchive<PromptIndividual>,
    private readonly promptCount: number,
  ) {}

  static restore(snapshot: unknown, promptCount: number): ArchivePromptPool {
    const archive = CVTArchive.fromJSON(snapshot as CVTArchiveSnapshot<PromptIndividual>);
    return new ArchivePromptPool(archive, promptCount);
  }

  get size(): number {
    return this.prompts.size;
  }

  choose(mode: 'curious' | 'random', rng: Rng, promptCount: number, temperature: number): PromptChoice {
    const elites = this.prompts.elites();
    if (mode === 'curious' && elites.length > 0) {
      const top = Math.max(...elites.map((e) => e.payload.curiosity));
      const elite = rng.pick(elites.filter((e) => e.payload.curiosity === top));
      return { individual: { ...elite.payload }, niche: elite.niche };
    }
    // Exploration: a uniformly random instruction, as stored if the archive holds it.
    const promptId = rng.int(0, promptCount - 1);
    const stored = elites.filter((e) => e.payload.promptId === promptId);
    if (stored.length > 0) {
      const elite = rng.pick(stored);
      return { individual: { ...elite.payload }, niche: elite.niche };
    }
    return { individual: fresh(promptId, temperature) };
  }

  credit(choice: PromptChoice, credit: PromptCredit): void {
    let { curiosity, fitness } = choice.individual;
    curiosity += credit.curiosity;
    fitness += credit.good ? 1 : 0;
    if (choice.niche !== undefined) {
      // Curiosity and collective fitness accumulate on the stored individual itself.
      this.prompts.update(choice.niche, (elite) => {
        const payload = {
          ...elite.payload,
          curiosity: elite.payload.curiosity + credit.curiosity,
          fitness: elite.payload.fitness + (credit.good ? 1 : 0),
        };
        curiosity = payload.curiosity;
        fitness = payload.fitness;
        return { ...elite, fitness: payload.fitness, payload };
      });
    }
    const moved = credit.temperature + (credit.good ? credit.step : -credit.step);
    this.offer({
      promptId: choice.individual.promptId,
      temperature: credit.temperature,
      nextTemperature: clamp(moved, credit.range),
      curiosity,
      fitness,
    });
  }

  offer(individual: PromptIndividual): void {
    const descriptors = [individual.promptId / this.promptCount, individual.temperature];
    this.prompts.add(descriptors, individual.fitness, individual);
  }

  snapshot(): unknown {
    return this.prompts.toJSON();
  }

  archive(): Archive<unknown> {
    return this.prompts;
  }
}

function fresh(promptId: number, temperature: number): PromptIndividual {
  return { promptId, temperature, nextTemperature: temperature, curiosity: 0, fitness: 0 };
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

  static random(size: number, promptCount: number, rng: Rng, range: readonly [number, number]): FixedPromptPool {
    const members = Array.from({ length: size }, () => {
      const temperature = rng.uniform(range[0], range[1]);
      return fresh(rng.int(0, promptCount - 1), temperature);
    });
    return new FixedPromptPool(members);
  }

  static restore(snapshot: unknown): FixedPromptPool {
    const { members, sharedScore } = snapshot as { members: PromptIndividual[]; sharedScore: number };
    return new FixedPromptPool(members, sharedScore);
  }

  get size(): number {
    return this.members.length;
  }

  choose(_mode: 'curious' | 'random', rng: Rng): PromptChoice {
    return { individual: { ...rng.pick(this.members) } };
  }

  credit(_choice: PromptChoice, credit: PromptCredit): void {
    this.sharedScore += credit.curiosity;
  }

  offer(): void {}

  snapshot(): unknown {
    return { members: this.members, sharedScore: this.sharedScore };
  }

  archive(): undefined {
    return undefined;
  }
}
