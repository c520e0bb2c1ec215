export {
  randomSearch,
  RandomSearchStrategy,
  randomSearchOptionsSchema,
  type RandomSearchOptions,
} from './random-search.js';
export {
  regularizedEvolution,
  RegularizedEvolutionStrategy,
  regularizedEvolutionOptionsSchema,
  type RegularizedEvolutionOptions,
  type ResolvedRegularizedEvolutionOptions,
} from './regularized-evolution.js';
export { requireOperators } from './operators.js';
