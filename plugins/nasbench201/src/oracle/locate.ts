import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildNb201Table, type FetchLike } from './build.js';
import { NB201_TABLE_GZ_SHA256 } from './sources.js';
import { NasBench201TableError } from './table.js';

/** Environment variable that points at the table. */
export const TABLE_ENV = 'LLMATIC_NB201_TABLE';
/** File name of the table in the cache folder. */
export const TABLE_FILE = 'nb201.csv.gz';

/** Where to look for the table, and whether to build it when it is nowhere. */
export interface TableLocation {
  /** Explicit path; used as is (no fallback when it does not exist). */
  table?: string;
  /** Cache folder; default `$XDG_CACHE_HOME/llmatic` or `~/.cache/llmatic`. */
  cacheDir?: string;
  /** Build the table from its public sources into the cache when missing (default true). */
  download?: boolean;
  fetch?: FetchLike;
  /** Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The cache file: `<cacheDir>/nb201.csv.gz`, by default under `$XDG_CACHE_HOME` or `~/.cache`. */
export function cacheFile(cacheDir: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const folder = cacheDir ?? join(xdg && xdg !== '' ? xdg : join(homedir(), '.cache'), 'llmatic');
  return resolve(folder, TABLE_FILE);
}

function howToProvide(cache: string): string {
  return `Provide nb201.csv.gz (the NAS-Bench-201 / NATS-Bench tss table, 15,625 rows, gzip SHA-256 ${NB201_TABLE_GZ_SHA256}) in one of these ways:
  - pass its path: nasBench201({ dataset, table: '/path/to/nb201.csv.gz' }) or nasBench201Oracle({ dataset, table: '/path/to/nb201.csv.gz' })
  - set the environment variable: export ${TABLE_ENV}=/path/to/nb201.csv.gz
  - copy it into the cache folder: ${cache}`;
}

const building = new Map<string, Promise<void>>();

/**
 * The path of an existing table file: the `table` option, else `LLMATIC_NB201_TABLE`, else the
 * cache file, which is built from the public sources when missing (and `download` is not false).
 * Throws {@link NasBench201TableError} saying exactly how to provide the table.
 */
export async function locateNb201Table(options: TableLocation = {}): Promise<string> {
  const env = options.env ?? process.env;
  if (options.table !== undefined) {
    const file = resolve(options.table);
    if (existsSync(file)) return file;
    throw new NasBench201TableError(
      `NAS-Bench-201 table not found at ${file} (the \`table\` option). Fix the path, or leave \`table\` unset to use ${TABLE_ENV} or the cache.\n${howToProvide(cacheFile(options.cacheDir, env))}`,
    );
  }
  const fromEnv = env[TABLE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const file = resolve(fromEnv);
    if (existsSync(file)) return file;
    throw new NasBench201TableError(
      `NAS-Bench-201 table not found at ${file} (environment variable ${TABLE_ENV}). Fix or unset ${TABLE_ENV}.\n${howToProvide(cacheFile(options.cacheDir, env))}`,
    );
  }
  const cache = cacheFile(options.cacheDir, env);
  if (existsSync(cache)) return cache;
  const looked = `NAS-Bench-201 table not found: the \`table\` option is not set, ${TABLE_ENV} is not set, and the cache file ${cache} does not exist.`;
  if (options.download === false) {
    throw new NasBench201TableError(`${looked} Building it from its public sources is off (download: false).\n${howToProvide(cache)}`);
  }
  let pending = building.get(cache);
  if (!pending) {
    pending = buildNb201Table(cache, options.fetch ? { fetch: options.fetch } : {});
    building.set(cache, pending);
    void pending.then(
      () => building.delete(cache),
      () => building.delete(cache),
    );
  }
  try {
    await pending;
  } catch (error) {
    throw new NasBench201TableError(
      `${looked} Building it from its public sources failed (no internet?): ${(error as Error).message}\n${howToProvide(cache)}`,
    );
  }
  return cache;
}
