import { defineConfig } from 'tsup';

export default defineConfig({
  // The training worker is a second entry: the evaluator forks dist/train-worker.js.
  entry: { index: 'src/index.ts', 'train-worker': 'src/worker/train-worker.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
