import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Where `llmatic init` found the NAS-Bench-201 table, and whether the config must name it. */
export type TableFound =
  | { where: 'option' | 'beside'; file: string }
  | { where: 'env' | 'cache'; file: string }
  | { where: 'nowhere' };

const TABLE_ENV = 'LLMATIC_NB201_TABLE';
const TABLE_FILE = 'nb201.csv.gz';

/**
 * Looks for the table the way `@llmatic/nasbench201` does (the environment variable, then the
 * cache), after an explicit `--table` and a `shared/data/nas-bench-201/` folder beside one of
 * `dir`'s ancestors (where this repository's tests keep it). The CLI depends on no plugin, so
 * those two lookups are repeated here; the first two must be written into the config.
 */
export function findNb201Table(dir: string, option: string | undefined, env = process.env): TableFound {
  if (option !== undefined) {
    const file = resolve(option);
    if (!existsSync(file)) throw new Error(`--table ${option}: no such file. Pass the path of nb201.csv.gz.`);
    return { where: 'option', file };
  }
  const fromEnv = env[TABLE_ENV];
  if (fromEnv && existsSync(fromEnv)) return { where: 'env', file: fromEnv };
  const xdg = env.XDG_CACHE_HOME;
  const cache = join(xdg ? xdg : join(homedir(), '.cache'), 'llmatic', TABLE_FILE);
  if (existsSync(cache)) return { where: 'cache', file: cache };
  for (let at = resolve(dir); ; at = dirname(at)) {
    const beside = join(at, 'shared', 'data', 'nas-bench-201', TABLE_FILE);
    if (existsSync(beside)) return { where: 'beside', file: beside };
    if (dirname(at) === at) return { where: 'nowhere' };
  }
}
