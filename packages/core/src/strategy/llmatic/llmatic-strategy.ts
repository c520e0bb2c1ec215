import type { Archive } from '../../archive/archive.js';
import { CVTArchive } from '../../archive/cvt-archive.js';
import { Rng } from '../../rng/rng.js';
import type { AskContext, Offspring, OffspringSlot, Proposal, SearchStrategy, TellStatus } from '../strategy.js';
import type { StrategyEnvironment, StrategyFactory } from '../factory.js';
import type { LLMaticOptions, ResolvedLLMaticOptions } from './options.js';
import { resolveLLMaticOptions } from './presets.js';
import { ArchiveNetworkPool, RankedNetworkPool, type NetworkEntry, type NetworkPool } from './network-pool.js';
import { ArchivePromptPool, FixedPromptPool, type PromptChoice, type PromptPool } from './prompt-pool.js';
import { clamp, freshIndividual } from './prompt-individual.js';
import { applyOperator } from '../baselines/operators.js';

/** What `ask` decided for one offspring, kept (by offspring id) until `tell`. */
interface Plan {
  proposal: Proposal;
  prompt?: PromptChoice;
  /** The parent's fitness, when the parent is an elite: tells whether the child improved on it. */
  parentFitness?: number;
}

/** The generation's crossover pool (paper): random elites that first parents are drawn from. */
interface CrossoverPool {
  generation: number;
  members: NetworkEntry[];
}

interface Snapshot {
  version: 2;
  networks: unknown;
  prompts: unknown;
  previousBest: number | null;
  generationBest: number | null;
  initPlanned: number;
  warmupPlanned: number;
  pending: [string, Plan][];
  crossoverPool: CrossoverPool | null;
}

const SEED_ID = 'seed';

/** LLMatic (Algorithm 1 of the paper) with the corrections of SPEC.md; see the presets. */
export class LLMaticStrategy implements SearchStrategy {
  readonly name = 'llmatic';
  private pending = new Map<string, Plan>();
  /** Best fitness of the last finished generation: the bar of the collective-fitness rule. */
  private previousBest: number | null = null;
  private generationBest: number | null = null;
  private initPlanned = 0;
  private warmupPlanned = 0;
  private crossoverPool: CrossoverPool | null = null;

  constructor(
    private readonly options: ResolvedLLMaticOptions,
    private readonly env: StrategyEnvironment,
    private networks: NetworkPool,
    private prompts: PromptPool,
  ) {}

  static create(options: ResolvedLLMaticOptions, env: StrategyEnvironment): LLMaticStrategy {
    const seedOf = (name: string) => Rng.derive(env.seed, 'centroids', name).int(0, 2 ** 31 - 1);
    const networks =
      options.ablation === 'prompt-archive-only'
        ? new RankedNetworkPool(options.populationSize, env.descriptorBounds)
        : new ArchiveNetworkPool(
            new CVTArchive({
              bounds: env.descriptorBounds,
              niches: options.networkNiches,
              seed: seedOf('networks'),
              ...(options.centroidSamples ? { samples: options.centroidSamples } : {}),
              ...(env.cacheDir ? { cacheDir: env.cacheDir } : {}),
            }),
          );
    const instructions = env.space.prompts.mutations.length;
    const prompts =
      options.ablation === 'network-archive-only'
        ? FixedPromptPool.random(options.populationSize, instructions, Rng.derive(env.seed, 'fixed-prompts'), options.temperatureRange)
        : ArchivePromptPool.create(instructions, options.temperatureBins, seedOf('prompts'));
    return new LLMaticStrategy(options, env, networks, prompts);
  }

  ask(context: AskContext): Proposal[] {
    const slots = context.offspring.slice(0, this.options.waveSize ?? context.offspring.length);
    return slots.map((slot) => {
      const plan = this.plan(context, slot);
      this.pending.set(slot.id, plan);
      return plan.proposal;
    });
  }

  private plan(context: AskContext, slot: OffspringSlot): Plan {
    const { options } = this;
    const { rng } = slot;
    if (options.ablation === 'random-generation') {
      const request = context.render.mutation(this.env.space.seed, context.space.prompts.randomGenerationInstruction);
      return {
        proposal: { kind: 'llm', operator: 'random-generation', parents: [SEED_ID], temperature: options.warmupTemperature, request },
      };
    }
    const operators = this.env.space.operators;
    if (options.init === 'random' && operators && this.initPlanned < options.initialPopulation) {
      this.initPlanned += 1;
      const code = applyOperator('llmatic', 'random', () => operators.random(rng));
      return { proposal: { kind: 'code', operator: 'random', parents: [], code } };
    }
    if (this.warmingUp()) {
      this.warmupPlanned += 1;
      return this.warmUp(context, rng);
    }
    const mutate =
      options.ablation === 'mutation-only' ||
      (options.ablation !== 'crossover-only' && rng.chance(options.mutationProbability));
    if (mutate) return this.mutation(context, rng);
    return this.crossover(context, slot) ?? this.mutation(context, rng);
  }

  /**
   * Warm-up mutates the seed while the archive is short of `initThreshold` elites, for at most
   * `maxWarmup` offspring: then parents widen to the elites found, so a search cannot stall on
   * the seed's neighbourhood. With no elite at all there is no other parent than the seed.
   */
  private warmingUp(): boolean {
    const { options } = this;
    if (this.networks.size === 0) return true;
    if (options.init === 'random' && this.env.space.operators) return false;
    return this.networks.size < options.initThreshold && this.warmupPlanned < options.maxWarmup;
  }

  private warmUp(context: AskContext, rng: Rng): Plan {
    const promptId = rng.int(0, context.space.prompts.mutations.length - 1);
    const temperature = this.options.warmupTemperature;
    const prompt = { individual: freshIndividual(promptId, temperature) };
    return this.mutationPlan(context, { id: SEED_ID, code: context.space.seed }, prompt, temperature);
  }

  private mutation(context: AskContext, rng: Rng): Plan {
    const { options } = this;
    const parent = this.networks.select(rng, options.parentSelection);
    const choice = this.prompts.choose(options.promptSelection, rng, options.warmupTemperature);
    const base = choice.individual.nextTemperature;
    const jittered = rng.chance(0.5) ? base + rng.uniform(-options.temperatureJitter, options.temperatureJitter) : base;
    return this.mutationPlan(context, parent, choice, clamp(jittered, options.temperatureRange));
  }

  private mutationPlan(
    context: AskContext,
    parent: Pick<NetworkEntry, 'id' | 'code'> & { fitness?: number },
    prompt: PromptChoice,
    temperature: number,
  ): Plan {
    const instruction = context.space.prompts.mutations[prompt.individual.promptId];
    if (!instruction) throw new Error(`LLMatic: no mutation instruction with id ${prompt.individual.promptId}`);
    const request = context.render.mutation(parent.code, instruction.text);
    return {
      proposal: { kind: 'llm', operator: 'mutation', parents: [parent.id], promptId: prompt.individual.promptId, temperature, request },
      prompt,
      ...(parent.fitness !== undefined ? { parentFitness: parent.fitness } : {}),
    };
  }

  private crossover(context: AskContext, slot: OffspringSlot): Plan | undefined {
    const pair = this.crossoverParents(slot);
    if (!pair) return undefined;
    const [first, second] = pair;
    const request = context.render.crossover(first.code, second.code);
    const temperature = this.options.crossoverTemperature;
    return { proposal: { kind: 'llm', operator: 'crossover', parents: [first.id, second.id], temperature, request } };
  }

  private crossoverParents({ rng, generation }: OffspringSlot): [NetworkEntry, NetworkEntry] | undefined {
    const { options } = this;
    if (options.crossoverMate === 'parent-nearest') {
      const first = this.networks.select(rng, options.parentSelection);
      const mate = this.networks.mate(first, rng, options.crossoverNeighbours);
      return mate ? [first, mate] : undefined;
    }
    // The paper: each generation, `crossoverPool` random elites; each child pairs one of them
    // with one of its 2 or 3 nearest elites.
    const first = rng.pick(this.poolOf(generation));
    const mate = this.networks.mate(first, rng, rng.int(2, 3));
    return mate ? [first, mate] : undefined;
  }

  private poolOf(generation: number): NetworkEntry[] {
    if (this.crossoverPool?.generation !== generation) {
      const rng = Rng.derive(this.env.seed, 'crossover-pool', generation);
      this.crossoverPool = { generation, members: this.networks.sampleDistinct(rng, this.options.crossoverPool) };
    }
    return this.crossoverPool.members;
  }

  tell(offspring: readonly Offspring[]): TellStatus[] {
    return offspring.map((child) => this.tellOne(child));
  }

  private tellOne(child: Offspring): TellStatus {
    const { options } = this;
    const plan = this.pending.get(child.id);
    if (!plan) throw new Error(`LLMatic: tell() got offspring ${child.id} that ask() did not plan (or that was told already)`);
    this.pending.delete(child.id);
    const { result } = child;
    const status: TellStatus = result.ok
      ? this.networks.add({ id: child.id, code: child.code ?? '', fitness: result.fitness, descriptors: result.descriptors })
      : 'failed';
    if (result.ok) this.generationBest = Math.max(this.generationBest ?? -Infinity, result.fitness);
    if (plan.prompt && plan.proposal.kind === 'llm') {
      const curiosity = status === 'failed' ? options.curiosity.failed : status === 'rejected' ? options.curiosity.rejected : options.curiosity.entered;
      this.prompts.credit(plan.prompt, {
        offspringId: child.id,
        temperature: plan.proposal.temperature,
        curiosity,
        good: result.ok && result.fitness >= (this.previousBest ?? -Infinity),
        improved: plan.parentFitness === undefined ? null : result.ok && result.fitness > plan.parentFitness,
        step: options.temperatureStep,
        range: options.temperatureRange,
      });
    }
    return status;
  }

  endGeneration(): void {
    // A generation with no valid network leaves the bar where it was.
    if (this.generationBest !== null) this.previousBest = this.generationBest;
    this.generationBest = null;
  }

  snapshot(): Snapshot {
    return {
      version: 2,
      networks: this.networks.snapshot(),
      prompts: this.prompts.snapshot(),
      previousBest: this.previousBest,
      generationBest: this.generationBest,
      initPlanned: this.initPlanned,
      warmupPlanned: this.warmupPlanned,
      pending: [...this.pending.entries()],
      crossoverPool: this.crossoverPool,
    };
  }

  restore(snapshot: unknown): void {
    const state = snapshot as Partial<Snapshot>;
    if (state.version !== 2) {
      throw new Error('LLMatic: the checkpoint holds no LLMatic state of this version (was the run started with another strategy or an older release?)');
    }
    const instructions = this.env.space.prompts.mutations.length;
    this.networks =
      this.options.ablation === 'prompt-archive-only'
        ? RankedNetworkPool.restore(state.networks, this.env.descriptorBounds)
        : ArchiveNetworkPool.restore(state.networks);
    this.prompts =
      this.options.ablation === 'network-archive-only'
        ? FixedPromptPool.restore(state.prompts)
        : ArchivePromptPool.restore(state.prompts, instructions);
    this.previousBest = state.previousBest ?? null;
    this.generationBest = state.generationBest ?? null;
    this.initPlanned = state.initPlanned ?? 0;
    this.warmupPlanned = state.warmupPlanned ?? 0;
    this.pending = new Map(state.pending ?? []);
    this.crossoverPool = state.crossoverPool ?? null;
  }

  archives(): Record<string, Archive<unknown>> {
    const result: Record<string, Archive<unknown>> = {};
    const networks = this.networks.archive();
    const prompts = this.prompts.archive();
    if (networks) result.networks = networks;
    if (prompts) result.prompts = prompts;
    return result;
  }
}

/**
 * The LLMatic strategy. `llmatic()` is the recommended preset; `llmatic({ preset: 'paper' })`
 * is Algorithm 1 of the paper with SPEC.md's corrections. Any option overrides its preset.
 */
export function llmatic(options: LLMaticOptions = {}): StrategyFactory {
  const resolved = resolveLLMaticOptions(options);
  return {
    name: 'llmatic',
    usesLLM: true,
    options: resolved,
    create: (env) => LLMaticStrategy.create(resolved, env),
  };
}
