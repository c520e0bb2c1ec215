import type { SearchSpace } from '@llmatic/core';
import type { NasBench201Cell } from './cell/cell.js';
import type { Nb201Dataset } from './datasets.js';
import { nasBench201Oracle, type NasBench201Oracle, type NasBench201OracleOptions } from './oracle/evaluator.js';
import { nasBench201Space } from './space/space.js';

/** Options of {@link nasBench201}: the oracle's options (the space needs only the dataset). */
export type NasBench201Options = NasBench201OracleOptions;

/**
 * The NAS-Bench-201 space and its oracle for one dataset, to spread into a config:
 * `defineConfig({ ...nasBench201({ dataset: 'cifar10' }), llm, ... })`.
 */
export function nasBench201(options: NasBench201Options): {
  space: SearchSpace<NasBench201Cell>;
  evaluator: NasBench201Oracle;
} {
  const evaluator = nasBench201Oracle(options);
  const dataset: Nb201Dataset = evaluator.dataset;
  return { space: nasBench201Space({ dataset }), evaluator };
}
