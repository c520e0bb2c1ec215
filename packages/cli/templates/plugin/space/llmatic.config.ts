/**
 * A short random search of this space: no LLM, no data. The evaluator here is a stand-in that
 * scores how close a network's parameter count is to 100,000; replace it with a trainer.
 * `npm run search` (or `npx llmatic run llmatic.config.ts --out runs/try`).
 */
import { defineConfig, randomSearch, type Evaluator } from '@llmatic/core';
import { {{factory}}, parameterCount, type MlpModel } from './src/index.ts';

const sizeTarget: Evaluator<MlpModel> = {
  name: 'size-target',
  evaluate: async (model) => {
    const params = parameterCount(model);
    return { ok: true, fitness: 1 / (1 + Math.abs(Math.log10(params) - 5)), metrics: { params } };
  },
};

export default defineConfig({
  space: {{factory}}(),
  evaluator: sizeTarget,
  strategy: randomSearch(),
  generations: 5,
  batchSize: 20,
  seed: 0,
});
