// The unit tests of the kernel's strategies and archives: what mutation testing of
// packages/core/src/{strategy,archive} runs (`npm run mutation`).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/core/test/{archive,archive-*,llmatic-*,baselines,instruction-bandit}.test.ts'],
    // Whole runs (Runner, store, three 25,000-sample centroid sets) take minutes under Stryker's
    // instrumentation; the unit tests pin the same rules. \`npm test\` runs them all.
    testNamePattern: '^(?!.*(run through the Runner|resumes an interrupted run)).*$',
  },
});
