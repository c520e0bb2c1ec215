import { z } from 'zod';

/** The paper's ablations, each a switch of the LLMatic strategy. */
export const ABLATIONS = [
  'none',
  'network-archive-only',
  'prompt-archive-only',
  'mutation-only',
  'crossover-only',
  'random-generation',
] as const;
export type Ablation = (typeof ABLATIONS)[number];

/** Named sets of defaults: `paper` is Algorithm 1 with SPEC.md's corrections, `recommended` ours. */
export const LLMATIC_PRESETS = ['recommended', 'paper'] as const;
export type LLMaticPreset = (typeof LLMATIC_PRESETS)[number];

const parentSelectionSchema = z.discriminatedUnion('kind', [
  /** A uniformly random elite (the paper). */
  z.object({ kind: z.literal('uniform') }).strict(),
  /** The fittest of `size` elites drawn with replacement. */
  z.object({ kind: z.literal('tournament'), size: z.number().int().min(1) }).strict(),
]);
export type ParentSelection = z.output<typeof parentSelectionSchema>;

const crossoverMateSchema = z.enum([
  /** The paper: each generation, `crossoverPool` random elites; a child combines one with one of its 2-3 nearest. */
  'pool-nearest',
  /** The first parent by `parentSelection`, the mate one of its `crossoverNeighbours` nearest elites. */
  'parent-nearest',
]);

const promptSelectionSchema = z.enum([
  /** The paper: half of the mutations take the most curious prompt individual, half a random prompt. */
  'curiosity',
  /**
   * Thompson sampling over instructions on how often each one made a child fitter than its
   * parent; the temperature is that of the instruction's most curious stored individual.
   */
  'bandit',
]);

const initSchema = z.enum([
  /** The paper's warm-up: mutations of the seed network with random prompts. */
  'seed',
  /** `initialPopulation` random programs of the space (its `operators.random`), then the loop. */
  'random',
]);

/** Every option, all optional: a preset fills what is not given. */
export const llmaticOptionsSchema = z
  .object({
    /** Which defaults to start from; every other option overrides the preset's value. */
    preset: z.enum(LLMATIC_PRESETS).default('recommended'),
    /** How the network archive is first filled. `random` needs a space with `operators`. */
    init: initSchema.optional(),
    /** Random programs that start the search (`init: 'random'`). */
    initialPopulation: z.number().int().min(1).optional(),
    /** Warm-up (`init: 'seed'`) lasts while the network archive holds fewer elites than this... */
    initThreshold: z.number().int().min(1).optional(),
    /** ...and at most this many offspring: then parents widen to the elites found so far. */
    maxWarmup: z.number().int().min(1).optional(),
    /**
     * Offspring planned before the strategy learns from their results: a generation is asked
     * in waves of this size (`null`: the whole generation at once, as the paper).
     */
    waveSize: z.number().int().min(1).nullable().optional(),
    parentSelection: parentSelectionSchema.optional(),
    promptSelection: promptSelectionSchema.optional(),
    crossoverMate: crossoverMateSchema.optional(),
    /** Random elites per generation that crossover draws its first parents from (`pool-nearest`). */
    crossoverPool: z.number().int().min(1).optional(),
    /** Probability of mutation; crossover gets the rest. */
    mutationProbability: z.number().min(0).max(1).optional(),
    warmupTemperature: z.number().min(0).max(2).optional(),
    crossoverTemperature: z.number().min(0).max(2).optional(),
    /** Half of the mutations jitter the individual's temperature by U(-jitter, jitter). */
    temperatureJitter: z.number().min(0).max(1).optional(),
    /** Temperature adaptation step after evaluation. */
    temperatureStep: z.number().min(0).max(1).optional(),
    temperatureRange: z
      .tuple([z.number(), z.number()])
      .refine(([low, high]) => low <= high, { message: 'temperatureRange must be [low, high] with low <= high' })
      .optional(),
    /** Crossover mates are drawn from this many nearest elites of the first parent (`parent-nearest`). */
    crossoverNeighbours: z.number().int().min(1).optional(),
    curiosity: z
      .object({
        entered: z.number().default(1),
        rejected: z.number().default(-0.5),
        failed: z.number().default(-1),
      })
      .optional(),
    networkNiches: z.number().int().min(1).max(10_000).optional(),
    /** Temperature bins of the prompt archive: its niches are (instruction, temperature bin) pairs. */
    temperatureBins: z.number().int().min(1).max(100).optional(),
    /** Uniform samples for the k-means that places the network archive's centroids. */
    centroidSamples: z.number().int().min(1).nullable().optional(),
    /** Population size of the ablations that replace an archive by a population. */
    populationSize: z.number().int().min(1).optional(),
    ablation: z.enum(ABLATIONS).optional(),
  })
  .strict();

export type LLMaticOptions = z.input<typeof llmaticOptionsSchema>;

/** Options after a preset filled the gaps. */
export interface ResolvedLLMaticOptions {
  preset: LLMaticPreset;
  init: 'seed' | 'random';
  initialPopulation: number;
  initThreshold: number;
  maxWarmup: number;
  waveSize: number | null;
  parentSelection: ParentSelection;
  promptSelection: 'curiosity' | 'bandit';
  crossoverMate: 'pool-nearest' | 'parent-nearest';
  crossoverPool: number;
  mutationProbability: number;
  warmupTemperature: number;
  crossoverTemperature: number;
  temperatureJitter: number;
  temperatureStep: number;
  temperatureRange: [number, number];
  crossoverNeighbours: number;
  curiosity: { entered: number; rejected: number; failed: number };
  networkNiches: number;
  temperatureBins: number;
  centroidSamples: number | null;
  populationSize: number;
  ablation: Ablation;
}
