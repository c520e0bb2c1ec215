import {
  ABLATIONS,
  ConfigError,
  llmatic,
  randomSearch,
  regularizedEvolution,
  type Ablation,
  type LLMaticOptions,
  type RegularizedEvolutionOptions,
  type StrategyFactory,
} from '@llmatic/core';

/** Strategies an experiment can compare, by their CLI names. */
export const EXPERIMENT_STRATEGIES = ['llmatic', 'random', 'evolution'] as const;
export type ExperimentStrategy = (typeof EXPERIMENT_STRATEGIES)[number];

/** One arm of an experiment: a named strategy, run once per seed. */
export interface ExperimentVariant {
  /** Folder name and table row: `llmatic`, `llmatic-mutation-only`, `random`, `evolution`. */
  name: string;
  strategy: StrategyFactory;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** Parses `--strategies llmatic,random,evolution`. */
export function parseStrategies(text: string): ExperimentStrategy[] {
  const names = list(text);
  const unknown = names.filter((n) => !(EXPERIMENT_STRATEGIES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      `--strategies: ${unknown.length > 0 ? `unknown strategy ${unknown.map((u) => `"${u}"`).join(', ')}` : 'no strategy given'}; choose from ${EXPERIMENT_STRATEGIES.join(', ')} (comma-separated).`,
    );
  }
  return [...new Set(names)] as ExperimentStrategy[];
}

/** Parses `--ablations all` or `--ablations mutation-only,crossover-only` (the paper's ablations of LLMatic). */
export function parseAblations(text: string): Ablation[] {
  const names = list(text);
  const named = ABLATIONS.filter((a) => a !== 'none');
  if (names.length === 1 && names[0] === 'all') return [...named];
  const unknown = names.filter((n) => !(ABLATIONS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      `--ablations: ${unknown.length > 0 ? `unknown ablation ${unknown.map((u) => `"${u}"`).join(', ')}` : 'none given'}; use "all" or a comma-separated list of ${named.join(', ')}.`,
    );
  }
  return [...new Set(names)].filter((n) => n !== 'none') as Ablation[];
}

/**
 * The variants of an experiment: LLMatic (and each requested ablation of it, as
 * `llmatic-<ablation>`), random search and regularized evolution. When the config's own strategy
 * is LLMatic or regularized evolution, its options are kept for that strategy's variants.
 */
export function experimentVariants(options: {
  strategies: readonly ExperimentStrategy[];
  ablations?: readonly Ablation[];
  /** The config's strategy, whose options carry over. */
  base?: StrategyFactory;
}): ExperimentVariant[] {
  const ablations = options.ablations ?? [];
  if (ablations.length > 0 && !options.strategies.includes('llmatic')) {
    throw new ConfigError('--ablations are variants of LLMatic: add llmatic to --strategies, or drop --ablations.');
  }
  const llmaticOptions = options.base?.name === 'llmatic' ? (options.base.options as LLMaticOptions) : {};
  const evolutionOptions = options.base?.name === 'regularized-evolution' ? (options.base.options as RegularizedEvolutionOptions) : {};
  const variants: ExperimentVariant[] = [];
  for (const strategy of options.strategies) {
    if (strategy === 'llmatic') {
      variants.push({ name: 'llmatic', strategy: llmatic({ ...llmaticOptions, ablation: 'none' }) });
      for (const ablation of ablations) {
        variants.push({ name: `llmatic-${ablation}`, strategy: llmatic({ ...llmaticOptions, ablation }) });
      }
    } else if (strategy === 'random') {
      variants.push({ name: 'random', strategy: randomSearch() });
    } else {
      variants.push({ name: 'evolution', strategy: regularizedEvolution(evolutionOptions) });
    }
  }
  return variants;
}
