import { parseOptions } from '../../config/parse-options.js';
import {
  llmaticOptionsSchema,
  type LLMaticOptions,
  type LLMaticPreset,
  type ResolvedLLMaticOptions,
} from './options.js';

type PresetValues = Omit<ResolvedLLMaticOptions, 'preset' | 'ablation'>;

/** What the paper and SPEC.md fix: the same in both presets. */
const SHARED = {
  initThreshold: 10,
  warmupTemperature: 0.6,
  crossoverTemperature: 0.7,
  temperatureJitter: 0.1,
  temperatureStep: 0.05,
  temperatureRange: [0.1, 1],
  curiosity: { entered: 1, rejected: -0.5, failed: -1 },
  networkNiches: 100,
  // 16 instructions x 6 temperature bins: 96 niches, the paper's ~100.
  temperatureBins: 6,
  centroidSamples: null,
  populationSize: 100,
} as const satisfies Partial<PresetValues>;

/**
 * The presets. `paper`: Algorithm 1 with SPEC.md's corrections and nothing else (warm-up from
 * the seed, uniform parents, curiosity, the crossover pool, whole generations; bounded warm-up
 * so that it cannot stall). `recommended`: what this project measured to be the most
 * sample-efficient (README, "LLMatic against the baselines"): random programs to start,
 * tournament parents, instructions chosen by a bandit, waves of 10.
 */
export const PRESET_VALUES: Readonly<Record<LLMaticPreset, PresetValues>> = {
  paper: {
    ...SHARED,
    temperatureRange: [0.1, 1],
    curiosity: { ...SHARED.curiosity },
    init: 'seed',
    initialPopulation: 100,
    maxWarmup: 200,
    waveSize: null,
    parentSelection: { kind: 'uniform' },
    promptSelection: 'curiosity',
    crossoverMate: 'pool-nearest',
    crossoverPool: 10,
    mutationProbability: 0.7,
    crossoverNeighbours: 3,
  },
  recommended: {
    ...SHARED,
    temperatureRange: [0.1, 1],
    curiosity: { ...SHARED.curiosity },
    init: 'random',
    initialPopulation: 30,
    maxWarmup: 200,
    waveSize: 10,
    parentSelection: { kind: 'tournament', size: 3 },
    promptSelection: 'bandit',
    crossoverMate: 'parent-nearest',
    crossoverPool: 10,
    mutationProbability: 0.8,
    crossoverNeighbours: 3,
  },
};

/** Validates `options` and fills what they leave out from their preset. */
export function resolveLLMaticOptions(options: LLMaticOptions): ResolvedLLMaticOptions {
  const parsed = parseOptions(llmaticOptionsSchema, options, 'llmatic()');
  const base = PRESET_VALUES[parsed.preset];
  const defined = Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined));
  return { ...base, ablation: 'none', ...defined } as ResolvedLLMaticOptions;
}
