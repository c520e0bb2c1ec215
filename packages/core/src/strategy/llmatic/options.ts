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

/** LLMatic's settings; every default is the paper's (SPEC.md). */
export const llmaticOptionsSchema = z
  .object({
    /** Warm-up lasts while the network archive holds fewer elites than this. */
    initThreshold: z.number().int().min(1).default(10),
    /** Probability of mutation; crossover gets the rest. */
    mutationProbability: z.number().min(0).max(1).default(0.7),
    warmupTemperature: z.number().min(0).max(2).default(0.6),
    crossoverTemperature: z.number().min(0).max(2).default(0.7),
    /** Half of the mutations jitter the individual's temperature by U(-jitter, jitter). */
    temperatureJitter: z.number().min(0).max(1).default(0.1),
    /** Temperature adaptation step after evaluation. */
    temperatureStep: z.number().min(0).max(1).default(0.05),
    temperatureRange: z.tuple([z.number(), z.number()]).default([0.1, 1]),
    /** Crossover mates are drawn from this many nearest elites of the first parent. */
    crossoverNeighbours: z.number().int().min(1).default(3),
    curiosity: z
      .object({
        entered: z.number().default(1),
        rejected: z.number().default(-0.5),
        failed: z.number().default(-1),
      })
      .default({ entered: 1, rejected: -0.5, failed: -1 }),
    networkNiches: z.number().int().min(1).max(10_000).default(100),
    promptNiches: z.number().int().min(1).max(10_000).default(100),
    /** Uniform samples for the k-means that places centroids. */
    centroidSamples: z.number().int().min(1).optional(),
    /** Population size of the ablations that replace an archive by a population. */
    populationSize: z.number().int().min(1).default(100),
    ablation: z.enum(ABLATIONS).default('none'),
  })
  .strict();

export type LLMaticOptions = z.input<typeof llmaticOptionsSchema>;
export type ResolvedLLMaticOptions = z.output<typeof llmaticOptionsSchema>;
