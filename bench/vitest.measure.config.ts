// Measurements that need the test support (simulated LLMs, the virtual-clock executor) and the
// workspace sources: `npx vitest run --config bench/vitest.measure.config.ts`. Not part of the suite.
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.js';

// Spread, not mergeConfig: merging would append the suite's include patterns to this one's.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['bench/**/*.measure.ts'], testTimeout: 3_600_000 },
});
