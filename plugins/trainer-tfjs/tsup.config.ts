import { packageConfig } from '../../tsup.package.ts';

// The training worker is a second entry: the evaluator forks dist/train-worker.js.
export default packageConfig({
  entry: { index: 'src/index.ts', 'train-worker': 'src/worker/train-worker.ts' },
  dts: { entry: { index: 'src/index.ts' } },
});
