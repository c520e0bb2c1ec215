// The kernel's unit tests only: what mutation testing of packages/core/src/{strategy,archive} runs.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({ ...base, test: { ...base.test, include: ['packages/core/test/**/*.test.ts'] } });
