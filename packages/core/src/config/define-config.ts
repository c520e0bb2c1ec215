import { z } from 'zod';
import type { Descriptor } from '../descriptors/descriptor.js';
import type { Evaluator } from '../evaluation/evaluator.js';
import type { LLMProvider } from '../llm/provider.js';
import type { SearchSpace } from '../space/search-space.js';
import type { StrategyFactory } from '../strategy/factory.js';
import type { Executor } from '../executor/job.js';
import { ConfigError, formatIssues } from './parse-options.js';
import { llmatic } from '../strategy/llmatic/llmatic-strategy.js';

/** `llmatic.config.ts`: the pipeline a run executes. */
export interface UserConfig<M = unknown> {
  /** The code language: seed, prompts, extraction, compiler, default descriptors. */
  space: SearchSpace<M>;
  /** Scores compiled models (a trainer or a benchmark oracle). */
  evaluator: Evaluator<M>;
  /** The LLM; required by LLM-driven strategies. */
  llm?: LLMProvider;
  /** Default: `llmatic()` with the paper's settings. */
  strategy?: StrategyFactory;
  /** Network descriptors; default: the space's. */
  descriptors?: readonly Descriptor<M>[];
  /** Default 20. */
  generations?: number;
  /** Offspring per generation; default 100. */
  batchSize?: number;
  /** One seed reproduces the run (given the same LLM replies); default 0. */
  seed?: number;
  /**
   * How offspring are scheduled. `generational` (default, the paper's; bit-for-bit reproducible
   * from the seed): the strategy is asked for a generation of `batchSize`, all of it is evaluated,
   * then the next. `steady-state`: as soon as an evaluation slot frees, the strategy is told the
   * finished offspring and asked for one more, so no slot idles at the end of a generation;
   * checkpoints, statistics and reports then count a generation as every `batchSize` completions.
   */
  schedule?: 'generational' | 'steady-state';
  concurrency?: {
    /** LLM calls in flight; default 4. */
    llm?: number;
    /** Evaluations in flight; default: the number of cores. */
    evaluations?: number;
  };
  /**
   * Where evaluations run: in this process (default; right for oracles and for evaluators that
   * isolate their own work), in a pool of `concurrency.evaluations` worker threads each loading
   * this config file, or any {@link Executor} a plugin provides (e.g. a queue that workers on
   * other machines serve).
   */
  executor?: 'in-process' | 'workers' | Executor;
  /** Default `chat`. */
  promptStyle?: 'chat' | 'completion';
  /**
   * Constrain LLM replies with the space's grammar (providers that support grammars); default
   * false, the paper's setting. Every LLM call records whether it was constrained.
   */
  constrainedDecoding?: boolean;
  /** Max tokens per LLM reply; default 1024. */
  maxTokens?: number;
  /** Niches of the run's result archive (reports, summary); default 100. */
  niches?: number;
  /** Run folder; default `runs/<date-time>`. */
  out?: string;
  /** Trained weights to keep: of elites (default), of every valid candidate, or none. */
  keepArtifacts?: 'elites' | 'all' | 'none';
  /** Where centroids are cached; default none. */
  cacheDir?: string;
  /**
   * Caps on LLM use for the whole run (resumes included). When a cap would be passed the run
   * stops cleanly after saving its work; raise the cap and `llmatic resume` to continue.
   */
  budget?: {
    maxTokens?: number;
    maxCalls?: number;
    /** USD, priced with `prices`. */
    maxCost?: number;
    /** USD per 1M input / output tokens, by model (`'*'` for any other). */
    prices?: Record<string, { inputPerMillion: number; outputPerMillion: number }>;
  };
}

/** Typed identity, as in Vite: gives editor help and type checks for `llmatic.config.ts`. */
export function defineConfig<M>(config: UserConfig<M>): UserConfig<M> {
  return config;
}

const hasMethods =
  (what: string, example: string, ...methods: string[]) =>
  (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');

const plugin = <T>(what: string, example: string, ...methods: string[]) =>
  z.custom<T>(hasMethods(what, example, ...methods), {
    message: `expected ${what} (an object with ${methods.join(', ')}()), e.g. ${example}`,
  });

const configSchema = z
  .object({
    space: z.custom<SearchSpace<unknown>>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as SearchSpace<unknown>).seed === 'string' &&
        typeof (v as SearchSpace<unknown>).extract === 'function' &&
        typeof (v as SearchSpace<unknown>).compiler?.compile === 'function',
      { message: 'expected a search space (seed, prompts, extract(), compiler), e.g. nasBench201Space({ dataset })' },
    ),
    evaluator: plugin<Evaluator<unknown>>('an evaluator', 'nasBench201Oracle({ dataset })', 'evaluate'),
    llm: plugin<LLMProvider>('an LLM provider', "ollama({ model: 'qwen2.5-coder:7b' })", 'generate').optional(),
    strategy: z
      .custom<StrategyFactory>((v) => typeof (v as StrategyFactory | undefined)?.create === 'function', {
        message: 'expected a strategy, e.g. llmatic() or randomSearch()',
      })
      .optional(),
    descriptors: z.array(z.custom<Descriptor<unknown>>((v) => typeof (v as Descriptor<unknown>)?.compute === 'function')).min(1).optional(),
    generations: z.number().int().min(1).default(20),
    batchSize: z.number().int().min(1).default(100),
    seed: z.number().int().default(0),
    schedule: z.enum(['generational', 'steady-state']).default('generational'),
    concurrency: z
      .object({
        llm: z.number().int().min(1).default(4),
        evaluations: z.number().int().min(1).optional(),
      })
      .strict()
      .default({ llm: 4 }),
    executor: z
      .union([
        z.enum(['in-process', 'workers']),
        z.custom<Executor>((v) => typeof (v as Executor | undefined)?.run === 'function' && typeof (v as Executor).close === 'function', {
          message: "expected 'in-process', 'workers' or an executor (an object with run() and close())",
        }),
      ])
      .default('in-process'),
    promptStyle: z.enum(['chat', 'completion']).default('chat'),
    constrainedDecoding: z.boolean().default(false),
    maxTokens: z.number().int().min(16).default(1024),
    niches: z.number().int().min(1).max(10_000).default(100),
    out: z.string().min(1).optional(),
    keepArtifacts: z.enum(['elites', 'all', 'none']).default('elites'),
    cacheDir: z.string().optional(),
    budget: z
      .object({
        maxTokens: z.number().int().positive().optional(),
        maxCalls: z.number().int().positive().optional(),
        maxCost: z.number().positive().optional(),
        prices: z
          .record(z.string(), z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) }).strict())
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ResolvedConfig = Omit<z.output<typeof configSchema>, 'strategy' | 'descriptors'> & {
  strategy: StrategyFactory;
  descriptors: readonly Descriptor<unknown>[];
};

/**
 * Validates a config (after CLI overrides). Errors name each bad field and what was expected.
 * Without a `strategy`, the run uses LLMatic with the paper's settings.
 */
export function resolveConfig(input: unknown, source = 'config'): ResolvedConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`Invalid ${source}:\n${formatIssues(parsed.error.issues)}`);
  }
  const config = parsed.data;
  const strategy = config.strategy ?? llmatic();
  if (strategy.usesLLM && !config.llm) {
    throw new ConfigError(
      `Invalid ${source}:\n  - llm: the ${strategy.name} strategy needs an LLM; add e.g. \`llm: ollama({ model: 'qwen2.5-coder:7b' })\``,
    );
  }
  const descriptors = config.descriptors ?? config.space.descriptors;
  if (descriptors.length === 0) {
    throw new ConfigError(`Invalid ${source}:\n  - descriptors: the search space declares none; set \`descriptors\``);
  }
  return { ...config, strategy, descriptors };
}
