import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { ConfigError, type JobResult } from '@llmatic/core';
import {
  QUEUE_NAME,
  queueSettingsOf,
  REDIS_URL,
  resolveQueueOptions,
  serveQueue,
  type QueueWorkerEvent,
} from '@llmatic/executor-queue';
import { guard, integer } from '../cli-args.js';
import { loadResolvedConfig } from './load.js';

export interface WorkerFlags {
  redis?: string;
  queue?: string;
  concurrency?: number;
}

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

function outcome(result: JobResult): string {
  return result.ok
    ? `${pc.green('ok')} fitness ${result.fitness.toFixed(4)}`
    : `${pc.red('failed')} (${result.failure.reason}: ${result.failure.message.split('\n')[0]})`;
}

function print(event: QueueWorkerEvent): void {
  const time = new Date().toISOString().slice(11, 19);
  const line = (() => {
    switch (event.type) {
      case 'job':
        return `${event.candidateId} ${outcome(event.result)} in ${seconds(event.result.evaluationMs)}`;
      case 'released':
        return `${event.candidateId} ${pc.yellow('handed back')} to the queue`;
      case 'rejected':
        return `${pc.red('rejected')} job ${event.jobId}: ${event.message}`;
      case 'connection-lost':
        return `${pc.yellow('lost Redis')} (${event.message}); reconnecting...`;
      case 'connection-restored':
        return `${pc.green('reconnected')} to Redis`;
      case 'error':
        return `${pc.red('error')}: ${event.message}`;
    }
  })();
  process.stderr.write(`${pc.dim(time)} ${line}\n`);
}

/**
 * `llmatic worker [config]`: evaluates the queued jobs of runs that use `queueExecutor(...)`,
 * with the pipeline (space, evaluator, descriptors) of the config file; it never calls the LLM.
 */
export async function workerCommand(configPath: string | undefined, flags: WorkerFlags): Promise<number> {
  const { file, config } = await loadResolvedConfig(configPath, {});
  const fromConfig = queueSettingsOf(config.executor);
  const base = fromConfig ?? resolveQueueOptions({});
  const settings = { ...base, queue: flags.queue ?? base.queue, connection: flags.redis ?? base.connection };
  if (settings.connection === undefined) {
    throw new ConfigError(
      `No Redis to serve: pass --redis redis://host:6379${fromConfig ? ", or set `connection` in the config's queueExecutor({ ... })" : ''}.`,
    );
  }
  await config.evaluator.check?.();
  const concurrency = flags.concurrency ?? availableParallelism();
  const worker = await serveQueue({
    pipeline: { space: config.space, evaluator: config.evaluator, descriptors: config.descriptors },
    settings,
    concurrency,
    onEvent: print,
  });
  process.stderr.write(
    `${pc.bold('llmatic worker')}: serving queue "${settings.queue}" at ${worker.where}\n` +
      `  pipeline: ${config.space.name} space, ${config.evaluator.name} evaluator (${file})\n` +
      `  ${concurrency} job${concurrency === 1 ? '' : 's'} at a time; Ctrl-C stops after the current jobs, twice hands them back to the queue\n`,
  );

  // First Ctrl-C: take no new job, finish the current ones. Second: hand them back. Third: quit.
  let interrupts = 0;
  let onSignal = () => {};
  const stopped = new Promise<void>((done) => {
    onSignal = () => {
      interrupts += 1;
      if (interrupts === 1) {
        process.stderr.write(`\n${pc.yellow('Stopping')}: finishing the current jobs (Ctrl-C again to hand them back to the queue)...\n`);
        void worker.stop().finally(done);
      } else if (interrupts === 2) {
        process.stderr.write(`${pc.yellow('Handing back')} the current jobs...\n`);
        worker.release();
      } else {
        process.exit(130);
      }
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await config.evaluator.close?.();
  }
  process.stderr.write('worker stopped\n');
  return 0;
}

function queueName(value: string): string {
  if (!QUEUE_NAME.test(value)) throw new InvalidArgumentError(`--queue may hold letters, digits, '.', '_' and '-' only, got "${value}".`);
  return value;
}

function redisUrl(value: string): string {
  if (!REDIS_URL.test(value)) throw new InvalidArgumentError(`--redis must be a Redis URL such as redis://10.0.0.5:6379, got "${value}".`);
  return value;
}

/** The `worker` command. */
export function workerCli(): Command {
  return new Command('worker')
    .description('evaluate queued jobs of runs that use queueExecutor() (default config: ./llmatic.config.ts)')
    .argument('[config]', 'path to llmatic.config.ts (its space, evaluator and descriptors; not its LLM)')
    .option('--redis <url>', "Redis to serve, e.g. redis://10.0.0.5:6379 (default: the config's queueExecutor connection)", redisUrl)
    .option('--queue <name>', "queue name (default: the config's, else llmatic)", queueName)
    .option('--concurrency <n>', 'jobs evaluated at once (default: the number of cores)', integer('--concurrency', 1))
    .action((config: string | undefined, flags: WorkerFlags) => guard(() => workerCommand(config, flags)));
}
