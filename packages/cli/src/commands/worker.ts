import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import pc from 'picocolors';
import { ConfigError, isJobServer, type JobServing } from '@llmatic/core';
import { guard, integer } from '../cli-args.js';
import { splitWorkerArguments } from '../worker/executor-flags.js';
import { printServeEvent } from '../worker/worker-log.js';
import { loadResolvedConfig } from './load.js';

export interface WorkerFlags {
  concurrency?: number;
}

/**
 * `llmatic worker [config]`: serves the jobs of runs whose config's executor can be served from
 * elsewhere (a {@link JobServer}, such as `queueExecutor(...)`), with the pipeline (space,
 * evaluator, descriptors) of the config file; it never calls the LLM. Flags the CLI does not know
 * (`--redis URL`) go to the executor.
 */
export async function workerCommand(configPath: string | undefined, flags: WorkerFlags, settings: Record<string, string> = {}): Promise<number> {
  const { file, config } = await loadResolvedConfig(configPath, {});
  const executor = config.executor;
  if (!isJobServer(executor)) {
    const why =
      typeof executor === 'string'
        ? `runs its evaluations in the run's own process (executor: '${executor}')`
        : "has an executor without serve() (it does not implement JobServer from '@llmatic/core')";
    throw new ConfigError(
      `${file} ${why}, so there are no jobs to serve. Set \`executor\` to one that workers serve, ` +
        "e.g. `executor: queueExecutor({ connection: process.env.LLMATIC_REDIS_URL })` from '@llmatic/executor-queue', " +
        "or give your executor a serve() (JobServer from '@llmatic/core').",
    );
  }
  await config.evaluator.check?.();
  const concurrency = flags.concurrency ?? availableParallelism();
  const serving = await executor.serve({
    pipeline: { space: config.space, evaluator: config.evaluator, descriptors: config.descriptors },
    concurrency,
    settings,
    onEvent: printServeEvent,
  });
  process.stderr.write(
    `${pc.bold('llmatic worker')}: serving ${serving.description}\n` +
      `  pipeline: ${config.space.name} space, ${config.evaluator.name} evaluator (${file})\n` +
      `  ${concurrency} job${concurrency === 1 ? '' : 's'} at a time; Ctrl-C stops after the current jobs, twice hands them back\n`,
  );
  try {
    await untilStopped(serving);
  } finally {
    await config.evaluator.close?.();
  }
  process.stderr.write('worker stopped\n');
  return 0;
}

/** First Ctrl-C: take no new job, finish the current ones. Second: hand them back. Third: quit. */
function untilStopped(serving: JobServing): Promise<void> {
  let interrupts = 0;
  let onSignal = () => {};
  const stopped = new Promise<void>((done) => {
    onSignal = () => {
      interrupts += 1;
      if (interrupts === 1) {
        process.stderr.write(`\n${pc.yellow('Stopping')}: finishing the current jobs (Ctrl-C again to hand them back)...\n`);
        void serving.stop().finally(done);
      } else if (interrupts === 2) {
        process.stderr.write(`${pc.yellow('Handing back')} the current jobs...\n`);
        serving.release();
      } else {
        process.exit(130);
      }
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return stopped.finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}

/** The `worker` command. */
export function workerCli(): Command {
  return new Command('worker')
    .description("evaluate jobs for runs whose config's executor hands them out, e.g. queueExecutor() (default config: ./llmatic.config.ts)")
    .argument('[config]', 'path to llmatic.config.ts (its space, evaluator, descriptors and executor; not its LLM)')
    .option('--concurrency <n>', 'jobs evaluated at once (default: the number of cores)', integer('--concurrency', 1))
    .addHelpText(
      'after',
      "\nOther --name value flags go to the config's executor and override its settings,\n" +
        'e.g. queueExecutor (@llmatic/executor-queue): --redis URL, --queue NAME.',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action((_config: string | undefined, flags: WorkerFlags, command: Command) =>
      guard(async () => {
        const { config, settings } = splitWorkerArguments(command.args);
        return workerCommand(config, flags, settings);
      }),
    );
}
