import type { Archive, AskContext, Offspring, Proposal, SearchStrategy, StrategyFactory, TellStatus } from '@llmatic/core';

interface State {
  /** The best network so far. */
  best: { id: string; code: string; fitness: number } | null;
  /** Plans handed out and not yet told, by offspring id: a resumed run re-asks for them. */
  planned: Record<string, Proposal>;
  seeded: boolean;
}

/**
 * An LLM hill climber: the seed network first, then every offspring is the LLM's mutation of the
 * best network so far (the seed until one is known), with one fixed instruction.
 */
export class HillClimber implements SearchStrategy {
  readonly name = 'hill-climber';
  private state: State = { best: null, planned: {}, seeded: false };

  constructor(private readonly instruction = 'Improve the network so that it reaches a higher accuracy.') {}

  ask(context: AskContext): Proposal[] {
    return context.offspring.map(({ id, rng }) => {
      const plan = this.state.planned[id] ?? this.plan(context, rng.uniform(0.5, 1));
      this.state.planned[id] = plan;
      return plan;
    });
  }

  private plan(context: AskContext, temperature: number): Proposal {
    if (!this.state.seeded) {
      this.state.seeded = true;
      return { kind: 'code', operator: 'seed', parents: [], code: context.space.seed };
    }
    const { best } = this.state;
    const request = context.render.mutation(best?.code ?? context.space.seed, this.instruction);
    return { kind: 'llm', operator: 'mutation', parents: best ? [best.id] : [], temperature, request };
  }

  tell(offspring: readonly Offspring[]): TellStatus[] {
    return offspring.map(({ id, code, result }): TellStatus => {
      delete this.state.planned[id];
      if (!result.ok || code === undefined) return 'failed';
      const { best } = this.state;
      if (best && result.fitness <= best.fitness) return 'rejected';
      this.state.best = { id, code, fitness: result.fitness };
      return best ? 'improved' : 'new';
    });
  }

  snapshot(): unknown {
    return structuredClone(this.state);
  }

  restore(snapshot: unknown): void {
    this.state = structuredClone(snapshot as State);
  }

  /** No archive of its own: reports show the run's result archive. */
  archives(): Record<string, Archive<unknown>> {
    return {};
  }
}

/** What a config holds (`strategy: hillClimber()`): the runner creates the strategy when a run starts. */
export function hillClimber(instruction?: string): StrategyFactory {
  return { name: 'hill-climber', usesLLM: true, options: { instruction: instruction ?? null }, create: () => new HillClimber(instruction) };
}
