import { resolve } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { guard } from '../cli-args.js';
import { findNb201Table } from '../scaffold/find-table.js';
import { writeInitConfig } from '../scaffold/init-config.js';

export interface InitFlags {
  table?: string;
  force?: boolean;
}

/** `llmatic init [dir]`: a `llmatic.config.ts` that runs as written. */
export function initCommand(dir: string | undefined, flags: InitFlags): number {
  const target = resolve(dir ?? '.');
  const table = findNb201Table(target, flags.table);
  const file = writeInitConfig(target, table, flags.force ?? false);
  const tableLine =
    table.where === 'nowhere'
      ? `${pc.yellow('NAS-Bench-201 table not found')}: the first run builds it (needs internet), or set LLMATIC_NB201_TABLE or rerun with --table PATH.`
      : `NAS-Bench-201 table: ${table.file}`;
  process.stderr.write(
    `${pc.green('wrote')} ${file}: random search on NAS-Bench-201 (CIFAR-10), no LLM needed.\n${tableLine}\n` +
      `next (in a project with @llmatic/cli, @llmatic/core and @llmatic/nasbench201 installed):\n  npx llmatic run llmatic.config.ts --out runs/first\n`,
  );
  return 0;
}

/** The `init` command. */
export function initCli(): Command {
  return new Command('init')
    .description('write a llmatic.config.ts that runs as written: random search on NAS-Bench-201')
    .argument('[dir]', 'folder to write it in (default: the current one)')
    .option('--table <path>', 'the NAS-Bench-201 table nb201.csv.gz (default: LLMATIC_NB201_TABLE, the cache, or shared/data/nas-bench-201/ beside a parent folder)')
    .option('--force', 'replace an existing llmatic.config.ts')
    .action((dir: string | undefined, flags: InitFlags) => guard(async () => initCommand(dir, flags)));
}
