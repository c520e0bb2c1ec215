import type { SearchSpace } from '../space/search-space.js';
import type { SearchStrategy } from './strategy.js';

/** What a strategy is given when a run starts. */
export interface StrategyEnvironment {
  /** The run's seed: every stream of the strategy derives from it. */
  seed: number;
  space: SearchSpace<unknown>;
  /** Bounds of the network descriptors, in order. */
  descriptorBounds: readonly (readonly [number, number])[];
  /** Where centroids may be cached. */
  cacheDir?: string;
}

/** A configured strategy (what `llmatic()`, `randomSearch()`... return in a config). */
export interface StrategyFactory {
  readonly name: string;
  /** Whether the strategy needs `llm` in the config. */
  readonly usesLLM: boolean;
  /** Resolved options, recorded in the run store. */
  readonly options: unknown;
  create(env: StrategyEnvironment): SearchStrategy;
}
