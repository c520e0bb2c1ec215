import { defineConfig } from 'tsup';

// ESM + type declarations for Node 20, from src/index.ts.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
