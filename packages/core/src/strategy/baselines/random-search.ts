import { z } from 'zod';
import type { Archive } from '../../archive/archive.js';
import { parseOptions } from '../../config/parse-options.js';
import type { SpaceOperators } from '../../space/search-space.js';
import type { StrategyFactory } from '../factory.js';
import type { AskContext, Offspring, Proposal, SearchStrategy, TellStatus } from '../strategy.js';
import { applyOperator, requireOperators } from './operators.js';

const NAME = 'random-search';

/** Options of {@link randomSearch}: none yet (the object is accepted for symmetry). */
export const randomSearchOptionsSchema = z.object({}).strict();
export type RandomSearchOptions = z.input<typeof randomSearchOptionsSchema>;

const snapshotSchema = z.object({
  version: z.literal(1),
  incumbent: z.object({ id: z.string(), fitness: z.number() }).nullable(),
});
type Snapshot = z.output<typeof snapshotSchema>;

/**
 * Random search: every offspring is a uniformly random program of the space
 * (`space.operators.random`), sampled with replacement. Its only state is the incumbent (the best
 * offspring so far), which gives `tell` its statuses: `new` for the first valid offspring,
 * `improved` when one beats the incumbent, `rejected` otherwise.
 */
export class RandomSearchStrategy implements SearchStrategy {
  readonly name = NAME;
  private incumbent: Snapshot['incumbent'] = null;

  constructor(private readonly operators: SpaceOperators) {}

  ask(context: AskContext): Proposal[] {
    return context.offspring.map(({ rng }): Proposal => {
      const code = applyOperator(NAME, 'random', () => this.operators.random(rng));
      return { kind: 'code', operator: 'random', parents: [], code };
    });
  }

  tell(offspring: readonly Offspring[]): TellStatus[] {
    return offspring.map((child): TellStatus => {
      if (!child.result.ok) return 'failed';
      const previous = this.incumbent;
      if (previous && child.result.fitness <= previous.fitness) return 'rejected';
      this.incumbent = { id: child.id, fitness: child.result.fitness };
      return previous ? 'improved' : 'new';
    });
  }

  snapshot(): Snapshot {
    return { version: 1, incumbent: this.incumbent };
  }

  restore(snapshot: unknown): void {
    const parsed = snapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new Error(`${NAME}: the checkpoint does not hold a random-search state (${parsed.error.issues[0]?.message ?? 'bad shape'}); was the run started with another strategy?`);
    }
    this.incumbent = parsed.data.incumbent;
  }

  archives(): Record<string, Archive<unknown>> {
    return {};
  }
}

/**
 * Random search, an LLM-free baseline: `strategy: randomSearch()`. Needs a search space with
 * `operators` (NAS-Bench-201 has them); the config needs no `llm`.
 */
export function randomSearch(options: RandomSearchOptions = {}): StrategyFactory {
  const resolved = parseOptions(randomSearchOptionsSchema, options, 'randomSearch()');
  return {
    name: NAME,
    usesLLM: false,
    options: resolved,
    create: (env) => new RandomSearchStrategy(requireOperators(env.space, 'randomSearch()')),
  };
}
