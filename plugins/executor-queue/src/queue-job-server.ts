import { ConfigError, type JobServer, type JobServing, type ServeOptions } from '@llmatic/core';
import { z } from 'zod';
import { QUEUE_NAME, REDIS_URL, type QueueExecutorOptions, type QueueSettings } from './options.js';
import { queueExecutor as createQueueExecutor, type QueueExecutor } from './queue-executor.js';
import { serveQueue } from './queue-worker.js';

/** The `llmatic worker` flags this executor takes; they override the config's settings. */
const WORKER_FLAGS = '--redis URL (the Redis to serve) and --queue NAME';

const workerSettingsSchema = z
  .object({
    redis: z.string().regex(REDIS_URL, { error: (issue) => `--redis must be a Redis URL such as redis://10.0.0.5:6379, got "${String(issue.input)}".` }),
    queue: z.string().regex(QUEUE_NAME, { error: (issue) => `--queue may hold letters, digits, '.', '_' and '-' only, got "${String(issue.input)}".` }),
  })
  .partial()
  .strict();

/** Parses `llmatic worker`'s executor flags; the error names the flag and what it takes. */
function parseWorkerSettings(settings: Readonly<Record<string, string>>): { redis?: string; queue?: string } {
  const parsed = workerSettingsSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new ConfigError(`queueExecutor's worker takes ${WORKER_FLAGS}; unknown: ${issue.keys.map((key) => `--${key}`).join(', ')}.`);
  }
  throw new ConfigError(issue?.message ?? `Bad worker flags: ${parsed.error.message}`);
}

/**
 * Serves the queue named by `settings` (a config's `queueExecutor(...)`) with the worker's
 * pipeline: what `llmatic worker` runs through {@link JobServer}.
 */
export async function serveQueueJobs<M>(settings: QueueSettings, options: ServeOptions<M>): Promise<JobServing> {
  const flags = parseWorkerSettings(options.settings);
  const served: QueueSettings = { ...settings, queue: flags.queue ?? settings.queue, connection: flags.redis ?? settings.connection };
  if (served.connection === undefined) {
    throw new ConfigError("No Redis to serve: pass --redis redis://host:6379, or set `connection` in the config's queueExecutor({ ... }).");
  }
  const worker = await serveQueue({ pipeline: options.pipeline, settings: served, concurrency: options.concurrency, onEvent: options.onEvent });
  return {
    description: `queue "${served.queue}" at ${worker.where}`,
    stop: () => worker.stop(),
    release: () => worker.release(),
  };
}

/** A {@link QueueExecutor} that `llmatic worker` can serve. */
export type ServableQueueExecutor = QueueExecutor & JobServer;

/**
 * An executor that sends evaluations to `llmatic worker` processes through Redis:
 *
 * ```ts
 * export default defineConfig({
 *   ...nasBench201({ dataset: 'cifar10' }),
 *   executor: queueExecutor({ connection: process.env.LLMATIC_REDIS_URL }),
 *   concurrency: { evaluations: 32 }, // jobs in flight: the workers' total concurrency
 * });
 * ```
 * then `llmatic worker llmatic.config.ts` on each machine (flags: `--redis URL`, `--queue NAME`,
 * `--concurrency N`) and `llmatic run llmatic.config.ts`.
 */
export function queueExecutor(options: QueueExecutorOptions = {}): ServableQueueExecutor {
  const executor = createQueueExecutor(options);
  const serve = <M>(serveOptions: ServeOptions<M>) => serveQueueJobs(executor.settings, serveOptions);
  return Object.assign(executor, { serve });
}
