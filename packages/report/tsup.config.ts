import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker entry is its own file so that worker threads can load it by URL.
  entry: { index: 'src/index.ts', 'worker-entry': 'src/executor/worker-entry.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
