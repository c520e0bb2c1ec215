import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM + .d.ts for Node 20 from `src/index.ts`. A package with
 * more entry points (worker files) passes them as overrides.
 */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...overrides,
  });
}
