// Mutation testing of the kernel's search logic (`npm run mutation`): every mutant of the
// strategies and archives that no test kills is a rule the tests do not pin.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // The strategies and the archive's decisions (niche, keep or reject, sampling, neighbours).
  // Centroid placement (k-means++, Lloyd, k-d tree, cache) is left out: under instrumentation each
  // of its mutants takes minutes, and its tests compare it with textbook implementations exactly.
  mutate: [
    'packages/core/src/strategy/**/*.ts',
    'packages/core/src/archive/{cvt-archive,nearest-elites,normalise,weighted-sampler}.ts',
    '!**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  thresholds: { high: 90, low: 85, break: 85 },
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['node_modules', 'dist', 'runs', 'reports', '.stryker-tmp', 'plugins/*/node_modules', 'examples'],
};
