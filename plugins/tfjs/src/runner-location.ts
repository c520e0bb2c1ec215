import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the plain-JavaScript sandbox runner shipped in `runner/`. This module sits
 * directly under `src/`, and tsup bundles it into `dist/index.js`, so `../runner/` resolves to
 * the same folder from the sources (tests) and from the build.
 */
export const RUNNER_PATH = fileURLToPath(new URL('../runner/sandbox-runner.mjs', import.meta.url));
