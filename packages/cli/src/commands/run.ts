import { resolve } from 'node:path';
import { Command } from 'commander';
import { guard, integer } from '../cli-args.js';
import { Runner } from '@llmatic/core';
import { executeRun, reportSummary } from './execute-run.js';
import { loadResolvedConfig, type Overrides } from './load.js';

function defaultRunDir(): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  return resolve('runs', stamp);
}

/** `llmatic run [config]`. */
export async function runCommand(configPath: string | undefined, overrides: Overrides): Promise<number> {
  const { file, config } = await loadResolvedConfig(configPath, overrides);
  await config.evaluator.check?.();
  await config.llm?.check?.();
  const dir = resolve(config.out ?? defaultRunDir());
  const { summary, interrupted } = await executeRun(
    (options) => Runner.start(config, { dir, configPath: file, ...options }),
    config.llm,
  );
  reportSummary(summary);
  return summary.status === 'completed' ? 0 : interrupted ? 130 : 1;
}

/** The `run` command. */
export function runCli(): Command {
  return new Command('run')
    .description('start a search from a config file (default: ./llmatic.config.ts)')
    .argument('[config]', 'path to llmatic.config.ts')
    .option('-o, --out <dir>', 'run folder (default: runs/<date-time>)')
    .option('--seed <n>', 'random seed', integer('--seed', 0))
    .option('-g, --generations <n>', 'number of generations', integer('--generations', 1))
    .option('-b, --batch-size <n>', 'offspring per generation', integer('--batch-size', 1))
    .action((config: string | undefined, options: Overrides) => guard(() => runCommand(config, options)));
}
