import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The training process's entry file. Built, it is dist/train-worker.js next to dist/index.js.
 * Running from TypeScript sources (vitest, tsx), it is src/worker/train-worker.ts, started with
 * the tsx loader (a devDependency) so that no build is needed.
 */
export function workerEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const require = createRequire(import.meta.url);
    let loader: string;
    try {
      loader = require.resolve('tsx');
    } catch {
      throw new Error('Running @llmatic/trainer-tfjs from its TypeScript sources needs the tsx loader: `npm install -D tsx`, or use the built package.');
    }
    return { file: join(dirname(here), 'train-worker.ts'), execArgv: ['--import', pathToFileURL(loader).href] };
  }
  const file = join(dirname(here), 'train-worker.js');
  if (!existsSync(file)) {
    throw new Error(`@llmatic/trainer-tfjs is missing its training worker ${file}; rebuild the package (npm run build).`);
  }
  return { file, execArgv: [] };
}
