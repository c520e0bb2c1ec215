/**
 * A short random search on NAS-Bench-201 through this executor. Needs the NAS-Bench-201 table
 * (LLMATIC_NB201_TABLE, or the cache: see @llmatic/nasbench201's README).
 * `npm run search` (or `npx llmatic run llmatic.config.ts --out runs/try`).
 */
import { defineConfig, randomSearch } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { {{factory}} } from './src/index.ts';

const { space, evaluator } = nasBench201({ dataset: 'cifar10' });

export default defineConfig({
  space,
  evaluator,
  executor: {{factory}}({ pipeline: { space, evaluator, descriptors: space.descriptors }, timeoutMs: 60_000 }),
  strategy: randomSearch(),
  generations: 5,
  batchSize: 20,
  seed: 0,
});
