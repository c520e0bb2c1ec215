/**
 * A short random search over NAS-Bench-201 cells scored by this evaluator: no LLM, no data.
 * `npm run search` (or `npx llmatic run llmatic.config.ts --out runs/try`).
 */
import { defineConfig, randomSearch } from '@llmatic/core';
import { nasBench201Space } from '@llmatic/nasbench201';
import { {{factory}} } from './src/index.ts';

export default defineConfig({
  space: nasBench201Space({ dataset: 'cifar10' }),
  evaluator: {{factory}}({ dataset: 'cifar10' }),
  strategy: randomSearch(),
  generations: 5,
  batchSize: 20,
  seed: 0,
});
