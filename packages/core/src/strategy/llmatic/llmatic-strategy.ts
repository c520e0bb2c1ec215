import type { Archive } from '../../archive/archive.js';
import { CVTArchive } from '../../archive/cvt-archive.js';
import { Rng } from '../../rng/rng.js';
import type {
  AskContext,
  Offspring,
  Proposal,
  SearchStrategy,
  TellStatus,
} from '../strategy.js';
import type { StrategyEnvironment, StrategyFactory } from '../factory.js';
import {
  llmaticOptionsSchema,
  type LLMaticOptions,
  type ResolvedLLMaticOptions,
} from './options.js';
import { ArchiveNetworkPool, RankedNetworkPool, type NetworkEntry, type NetworkPool } from './network-pool.js';
import { ArchivePromptPool, FixedPromptPool, type PromptChoice, type PromptPool } from './prompt-pool.js';
import { clamp } from './prompt-individual.js';
import { parseOptions } from '../../config/parse-options.js';

/** What `ask` decided for one offspring, kept until `tell`. */
interface Plan {
  proposal: Proposal;
  prompt?: PromptChoice;
}

interface Snapshot {
  networks: unknown;
  prompts: unknown;
  previousBest: number | null;
}

const SEED_ID = 'seed';

/** LLMatic (Algorithm 1 of the paper) with the corrections of SPEC.md. */
export class LLMaticStrategy implements SearchStrategy {
  readonly name = 'llmatic';
  private plans: Plan[] = [];
  private previousBest: number | null = null;

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
    const promptCount = env.space.prompts.mutations.length;
    const prompts =
      options.ablation === 'network-archive-only'
        ? FixedPromptPool.random(
            options.populationSize,
            promptCount,
            Rng.derive(env.seed, 'fixed-prompts'),
            options.temperatureRange,
          )
        : new ArchivePromptPool(
            new CVTArchive({
              bounds: [
                [0, 1],
                [0, 1],
              ],
              niches: options.promptNiches,
              seed: seedOf('prompts'),
              ...(options.centroidSamples ? { samples: options.centroidSamples } : {}),
              ...(env.cacheDir ? { cacheDir: env.cacheDir } : {}),
            }),
            promptCount,
          );
    return new LLMaticStrategy(options, env, networks, prompts);
  }

  ask(generation: number, context: AskContext): Proposal[] {
    this.plans = Array.from({ length: context.batchSize }, (_, index) =>
      this.plan(context, context.rng(index)),
    );
    return this.plans.map((plan) => plan.proposal);
  }

  private plan(context: AskContext, rng: Rng): Plan {
    const { options } = this;
    if (options.ablation === 'random-generation') {
      const request = context.render.mutation(this.env.space.seed, context.space.prompts.randomGenerationInstruction);
      return {
        proposal: { kind: 'llm', operator: 'random-generation', parents: [SEED_ID], temperature: options.warmupTemperature, request },
      };
    }
    if (this.networks.size < options.initThreshold) return this.warmUp(context, rng);
    const mutate =
      options.ablation === 'mutation-only' ||
      (options.ablation !== 'crossover-only' && rng.chance(options.mutationProbability));
    if (mutate) return this.mutation(context, rng);
    return this.crossover(context, rng) ?? this.mutation(context, rng);
  }

  private warmUp(context: AskContext, rng: Rng): Plan {
    const mutations = context.space.prompts.mutations;
    const promptId = rng.int(0, mutations.length - 1);
    const temperature = this.options.warmupTemperature;
    const individual = { promptId, temperature, nextTemperature: temperature, curiosity: 0, fitness: 0 };
    return this.mutationPlan(context, { id: SEED_ID, code: context.space.seed }, { individual }, temperature);
  }

  private mutation(context: AskContext, rng: Rng): Plan {
    const { options } = this;
    const parent = this.networks.sample(rng);
    const mode = rng.chance(0.5) ? 'curious' : 'random';
    const choice = this.prompts.choose(mode, rng, context.space.prompts.mutations.length, options.warmupTemperature);
    const base = choice.individual.nextTemperature;
    const jittered = rng.chance(0.5) ? base + rng.uniform(-options.temperatureJitter, options.temperatureJitter) : base;
    return this.mutationPlan(context, parent, choice, clamp(jittered, options.temperatureRange));
  }

  private mutationPlan(
    context: AskContext,
    parent: Pick<NetworkEntry, 'id' | 'code'>,
    prompt: PromptChoice,
    temperature: number,
  ): Plan {
    const instruction = context.space.prompts.mutations[prompt.individual.promptId];
    if (!instruction) throw new Error(`LLMatic: no mutation instruction with id ${prompt.individual.promptId}`);
    const request = context.render.mutation(parent.code, instruction.text);
    return {
      proposal: {
        kind: 'llm',
        operator: 'mutation',
        parents: [parent.id],
        promptId: prompt.individual.promptId,
        temperature,
        request,
      },
      prompt,
    };
  }

  private crossover(context: AskContext, rng: Rng): Plan | undefined {
    const first = this.networks.sample(rng);
    const second = this.networks.mate(first, rng, this.options.crossoverNeighbours);
    if (!second) return undefined;
    const request = context.render.crossover(first.code, second.code);
    return {
      proposal: {
        kind: 'llm',
        operator: 'crossover',
        parents: [first.id, second.id],
        temperature: this.options.crossoverTemperature,
        request,
      },
    };
  }

  tell(_generation: number, offspring: readonly Offspring[]): TellStatus[] {
    const { options } = this;
    const previousBest = this.previousBest ?? -Infinity;
    const statuses = offspring.map((child, index): TellStatus => {
      const plan = this.plans[index];
      if (!plan) throw new Error(`LLMatic: tell() got offspring ${child.id} that ask() did not plan`);
      const { result } = child;
      const status: TellStatus = result.ok
        ? this.networks.add({ id: child.id, code: child.code ?? '', fitness: result.fitness, descriptors: result.descriptors })
        : 'failed';
      if (plan.prompt && plan.proposal.kind === 'llm') {
        const curiosity =
          status === 'failed'
            ? options.curiosity.failed
            : status === 'rejected'
              ? options.curiosity.rejected
              : options.curiosity.entered;
        this.prompts.credit(plan.prompt, {
          temperature: plan.proposal.temperature,
          curiosity,
          good: result.ok && result.fitness >= previousBest,
          step: options.temperatureStep,
          range: options.temperatureRange,
        });
      }
      return status;
    });
    const fitnesses = offspring.flatMap((c) => (c.result.ok ? [c.result.fitness] : []));
    if (fitnesses.length > 0) this.previousBest = Math.max(...fitnesses);
    return statuses;
  }

  snapshot(): Snapshot {
    return { networks: this.networks.snapshot(), prompts: this.prompts.snapshot(), previousBest: this.previousBest };
  }

  restore(snapshot: unknown): void {
    const state = snapshot as Snapshot;
    const promptCount = this.env.space.prompts.mutations.length;
    this.networks =
      this.options.ablation === 'prompt-archive-only'
        ? RankedNetworkPool.restore(state.networks, this.env.descriptorBounds)
        : ArchiveNetworkPool.restore(state.networks);
    this.prompts =
      this.options.ablation === 'network-archive-only'
        ? FixedPromptPool.restore(state.prompts)
        : ArchivePromptPool.restore(state.prompts, promptCount);
    this.previousBest = state.previousBest;
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

/** The LLMatic strategy, with the paper's defaults. Use in `llmatic.config.ts`: `strategy: llmatic({ ... })`. */
export function llmatic(options: LLMaticOptions = {}): StrategyFactory {
  const resolved = parseOptions(llmaticOptionsSchema, options, 'llmatic()');
  return {
    name: 'llmatic',
    usesLLM: true,
    options: resolved,
    create: (env) => LLMaticStrategy.create(resolved, env),
  };
}
