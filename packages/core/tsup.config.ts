import { packageConfig } from '../../tsup.package.ts';

// The worker entry is its own file so that worker threads can load it by URL.
export default packageConfig({
  entry: { index: 'src/index.ts', 'worker-entry': 'src/executor/worker-entry.ts' },
  dts: { entry: { index: 'src/index.ts' } },
});
