import { resolve } from 'node:path';
import { Command } from 'commander';
import { guard, integer } from '../cli-args.js';
import { RunStore, Runner } from '@llmatic/core';
import { executeRun, reportSummary } from './execute-run.js';
import { loadResolvedConfig } from './load.js';

/** `llmatic resume DIR`: continues with the run's own config, seed and batch size. */
export async function resumeCommand(runDir: string, options: { config?: string; generations?: number }): Promise<number> {
  const dir = resolve(runDir);
  const store = RunStore.open(dir);
  const manifest = store.manifest();
  store.close();
  const configPath = options.config ?? manifest.configPath ?? undefined;
  if (!configPath) {
    throw new Error(`${dir} does not record its config file; pass it with --config.`);
  }
  const { config } = await loadResolvedConfig(configPath, {
    seed: manifest.seed,
    batchSize: manifest.batchSize,
    generations: options.generations ?? manifest.generations,
  });
  await config.evaluator.check?.();
  await config.llm?.check?.();
  const { summary, interrupted } = await executeRun(
    (runOptions) => Runner.resume(config, { dir, configPath, ...runOptions }),
    config.llm,
  );
  reportSummary(summary);
  return summary.status === 'completed' ? 0 : interrupted ? 130 : 1;
}

/** The `resume` command. */
export function resumeCli(): Command {
  return new Command('resume')
    .description('continue a stopped or crashed run from its last checkpoint')
    .argument('<run-dir>', 'the run folder')
    .option('-c, --config <file>', 'config file (default: the one the run was started with)')
    .option('-g, --generations <n>', 'extend the run to this many generations', integer('--generations', 1))
    .action((dir: string, options: { config?: string; generations?: number }) => guard(() => resumeCommand(dir, options)));
}
