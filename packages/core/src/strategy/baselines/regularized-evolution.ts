import { z } from 'zod';
import type { Archive } from '../../archive/archive.js';
import { parseOptions } from '../../config/parse-options.js';
import type { Rng } from '../../rng/rng.js';
import type { SpaceOperators } from '../../space/search-space.js';
import type { StrategyFactory } from '../factory.js';
import type { AskContext, Offspring, Proposal, SearchStrategy, TellStatus } from '../strategy.js';
import { applyOperator, requireOperators } from './operators.js';

const NAME = 'regularized-evolution';

/** Options of {@link regularizedEvolution}; the defaults are Real et al.'s NAS-Bench-201 settings. */
export const regularizedEvolutionOptionsSchema = z
  .object({
    /** Individuals alive at once; the first `population` offspring are random programs. */
    population: z.number().int().min(1).default(100),
    /** Individuals drawn (with replacement) for each tournament; the fittest is the parent. */
    tournament: z.number().int().min(1).default(25),
  })
  .strict()
  .refine((o) => o.tournament <= o.population, {
    message: 'tournament must not exceed population (Real et al. use population 100, tournament 25)',
    path: ['tournament'],
  });
export type RegularizedEvolutionOptions = z.input<typeof regularizedEvolutionOptionsSchema>;
export type ResolvedRegularizedEvolutionOptions = z.output<typeof regularizedEvolutionOptionsSchema>;

const memberSchema = z.object({ id: z.string(), code: z.string(), fitness: z.number() });
const snapshotSchema = z.object({
  version: z.literal(1),
  population: z.array(memberSchema),
  /** Random offspring asked but not yet told (steady-state checkpoints). */
  pendingRandom: z.array(z.string()).default([]),
});
type Member = z.output<typeof memberSchema>;
type Snapshot = z.output<typeof snapshotSchema>;

/**
 * Regularized (aging) evolution (Real et al., AAAI 2019). The population starts with
 * `population` random programs (`space.operators.random`); after that each offspring is a one-edit
 * mutation (`space.operators.mutate`) of the winner of a tournament of `tournament` members drawn
 * with replacement, and every valid offspring joins the population while the oldest member dies.
 *
 * Offspring of one generation are planned together from the population as it stood after the
 * previous generation (the batched, asynchronous form of the algorithm: Real et al. ran hundreds of
 * workers). Batches well below the population size behave like the sequential algorithm; a batch
 * as large as the population replaces it whole each generation.
 */
export class RegularizedEvolutionStrategy implements SearchStrategy {
  readonly name = NAME;
  /** Oldest first. */
  private population: Member[] = [];
  /** Ids of random offspring asked but not told: they will fill the population. */
  private pendingRandom = new Set<string>();

  constructor(
    private readonly options: ResolvedRegularizedEvolutionOptions,
    private readonly operators: SpaceOperators,
  ) {}

  ask(context: AskContext): Proposal[] {
    return context.offspring.map(({ id, rng }): Proposal => {
      // Fill the population with random programs first (again if failures left it short).
      if (this.population.length === 0 || this.population.length + this.pendingRandom.size < this.options.population) {
        this.pendingRandom.add(id);
        const code = applyOperator(NAME, 'random', () => this.operators.random(rng));
        return { kind: 'code', operator: 'random', parents: [], code };
      }
      const parent = this.tournament(rng);
      const code = applyOperator(NAME, `mutate (parent ${parent.id})`, () => this.operators.mutate(parent.code, rng));
      return { kind: 'code', operator: 'edit', parents: [parent.id], code };
    });
  }

  /** The fittest of `tournament` members drawn with replacement (the first drawn wins a tie). */
  private tournament(rng: Rng): Member {
    let winner: Member | undefined;
    for (let i = 0; i < this.options.tournament; i++) {
      const member = rng.pick(this.population);
      if (!winner || member.fitness > winner.fitness) winner = member;
    }
    return winner as Member;
  }

  tell(offspring: readonly Offspring[]): TellStatus[] {
    const statuses = offspring.map((child): TellStatus => {
      this.pendingRandom.delete(child.id);
      if (!child.result.ok) return 'failed';
      this.population.push({ id: child.id, code: child.code ?? '', fitness: child.result.fitness });
      return 'new';
    });
    // Aging: the oldest die, whatever their fitness.
    const excess = this.population.length - this.options.population;
    if (excess > 0) this.population.splice(0, excess);
    return statuses;
  }

  /** The living population, oldest first (for tests and reports). */
  members(): readonly Readonly<Member>[] {
    return this.population;
  }

  snapshot(): Snapshot {
    return { version: 1, population: this.population.map((m) => ({ ...m })), pendingRandom: [...this.pendingRandom] };
  }

  restore(snapshot: unknown): void {
    const parsed = snapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new Error(`${NAME}: the checkpoint does not hold a regularized-evolution state (${parsed.error.issues[0]?.message ?? 'bad shape'}); was the run started with another strategy?`);
    }
    this.population = parsed.data.population;
    this.pendingRandom = new Set(parsed.data.pendingRandom);
  }

  archives(): Record<string, Archive<unknown>> {
    return {};
  }
}

/**
 * Regularized evolution, an LLM-free baseline: `strategy: regularizedEvolution({ population: 100,
 * tournament: 25 })`. Needs a search space with `operators` (NAS-Bench-201 has them); the config
 * needs no `llm`.
 */
export function regularizedEvolution(options: RegularizedEvolutionOptions = {}): StrategyFactory {
  const resolved = parseOptions(regularizedEvolutionOptionsSchema, options, 'regularizedEvolution()');
  return {
    name: NAME,
    usesLLM: false,
    options: resolved,
    create: (env) => new RegularizedEvolutionStrategy(resolved, requireOperators(env.space, 'regularizedEvolution()')),
  };
}
