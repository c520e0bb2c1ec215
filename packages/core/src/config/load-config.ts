import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createJiti } from 'jiti';
import { ConfigError } from './parse-options.js';

/** The candidate names looked up when no config path is given. */
export const CONFIG_FILES = ['llmatic.config.ts', 'llmatic.config.mts', 'llmatic.config.js', 'llmatic.config.mjs'];

/** Finds the config file: the given path, or the first of {@link CONFIG_FILES} in `cwd`. */
export function findConfigFile(path: string | undefined, cwd = process.cwd()): string {
  if (path) {
    const file = resolve(cwd, path);
    if (!existsSync(file)) throw new ConfigError(`Config file not found: ${file}. Check the path.`);
    return file;
  }
  for (const name of CONFIG_FILES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new ConfigError(
    `No config file given and none of ${CONFIG_FILES.join(', ')} in ${cwd}. Pass one, e.g. \`llmatic run examples/nasbench201/llmatic.config.ts\`.`,
  );
}

/** Loads a `.ts`/`.js` config without a build step (jiti); returns its default export. */
export async function loadConfigFile(file: string): Promise<unknown> {
  const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false });
  let module: unknown;
  try {
    module = await jiti.import(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Could not load ${file}: ${message}`);
  }
  const config = (module as { default?: unknown } | undefined)?.default ?? module;
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError(`${file} must \`export default defineConfig({ ... })\`.`);
  }
  return config;
}
