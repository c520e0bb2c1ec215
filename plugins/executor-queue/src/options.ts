import { parseOptions } from '@llmatic/core';
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';

/** Where Redis is: a `redis://` / `rediss://` URL, or ioredis connection options. */
export type RedisConnection = string | RedisOptions;

/** Options of {@link queueExecutor}; both the coordinator and `llmatic worker` read them. */
export interface QueueExecutorOptions {
  /**
   * The Redis server that carries the queue, e.g. `'redis://10.0.0.5:6379'` or
   * `process.env.LLMATIC_REDIS_URL`. May be left unset when every process that uses it passes one
   * (`llmatic worker --redis URL`); the coordinator's first evaluation then says what to set.
   */
  connection?: RedisConnection;
  /** Queue name; runs and workers meet on it (default `llmatic`). One queue per worker config. */
  queue?: string;
  /**
   * Namespaces job ids. By default a job's id is its candidate id and a hash of its code, the same
   * in every process: a resumed coordinator finds the jobs its crashed predecessor queued (or that
   * workers finished meanwhile) instead of queueing them twice. Set a run id to keep runs that
   * submit the very same program under the same candidate id from sharing one evaluation (e.g.
   * repeated runs that sample a noisy trainer).
   */
  runId?: string;
  /**
   * How many times a job may be started before it is recorded as a `crash`: a worker that dies
   * mid-job (SIGKILL, out of memory, lost machine) costs one attempt, and the job goes back to the
   * queue for another worker (default 2, so a candidate that kills every worker it meets is given
   * up after two deaths).
   */
  attempts?: number;
  /** Workers record a job that runs longer than this as a `timeout` failure (default: no limit). */
  jobTimeoutMs?: number;
  /**
   * A worker holds a lock on each job it runs and renews it every `lockMs / 2`; a job whose lock
   * lapses (its worker died) is given to another worker. It must exceed the longest time an
   * evaluation blocks the worker's event loop (default 30000).
   */
  lockMs?: number;
  /**
   * How often each worker looks for jobs whose lock lapsed (default 15000). A dead worker's job
   * is back in the queue within about `lockMs + 2 * stalledCheckMs`.
   */
  stalledCheckMs?: number;
  /**
   * Seconds Redis keeps a finished job that no coordinator collected (one left by Ctrl-C or a
   * crashed coordinator), so that `llmatic resume` can collect it (default 86400). Collected jobs
   * are deleted at once.
   */
  keepResultsSeconds?: number;
  /**
   * How long the coordinator waits for a lost Redis connection to come back before it stops the
   * run with an error (default 30000); `llmatic resume` continues once Redis is back.
   */
  outageMs?: number;
}

/** {@link QueueExecutorOptions} with defaults filled in. */
export interface QueueSettings {
  connection: RedisConnection | undefined;
  queue: string;
  runId: string | undefined;
  attempts: number;
  jobTimeoutMs: number | undefined;
  lockMs: number;
  stalledCheckMs: number;
  keepResultsSeconds: number;
  outageMs: number;
}

export const DEFAULT_QUEUE = 'llmatic';

/**
 * What a queue name or run id may be. BullMQ builds Redis keys as `bull:<queue>:<id>`, so ':'
 * cannot appear in either.
 */
export const QUEUE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** What a Redis URL looks like. */
export const REDIS_URL = /^rediss?:\/\/\S+$/;

const name = (what: string) => z.string().regex(QUEUE_NAME, `${what} may hold letters, digits, '.', '_' and '-' only (1 to 100)`);

const connectionSchema = z.union([
  z.string().regex(REDIS_URL, "expected a Redis URL such as 'redis://127.0.0.1:6379' (or ioredis options)"),
  z.record(z.string(), z.unknown()),
]);

const optionsSchema = z
  .object({
    connection: connectionSchema.optional(),
    queue: name('queue').default(DEFAULT_QUEUE),
    runId: name('runId').optional(),
    attempts: z.number().int().min(1).max(100).default(2),
    jobTimeoutMs: z.number().int().positive().optional(),
    lockMs: z.number().int().min(1000).default(30_000),
    stalledCheckMs: z.number().int().min(500).default(15_000),
    keepResultsSeconds: z.number().int().min(1).default(86_400),
    outageMs: z.number().int().min(100).default(30_000),
  })
  .strict();

/** Validates options and fills defaults; the error names every bad field. */
export function resolveQueueOptions(options: QueueExecutorOptions): QueueSettings {
  // An empty string is how an unset environment variable often arrives: treat it as unset.
  const input = options.connection === '' ? { ...options, connection: undefined } : options;
  const parsed = parseOptions(optionsSchema, input, 'queueExecutor');
  return {
    connection: parsed.connection as RedisConnection | undefined,
    queue: parsed.queue,
    runId: parsed.runId,
    attempts: parsed.attempts,
    jobTimeoutMs: parsed.jobTimeoutMs,
    lockMs: parsed.lockMs,
    stalledCheckMs: parsed.stalledCheckMs,
    keepResultsSeconds: parsed.keepResultsSeconds,
    outageMs: parsed.outageMs,
  };
}

// A registered symbol, so that a config loaded through another module instance (jiti) is
// still recognised by `llmatic worker`.
const SETTINGS = Symbol.for('@llmatic/executor-queue.settings');

/** Marks `target` as carrying queue settings. */
export function attachSettings(target: object, settings: QueueSettings): void {
  Object.defineProperty(target, SETTINGS, { value: settings, enumerable: false });
}

/**
 * The settings of a config's `executor` when it is a {@link queueExecutor}, else `undefined`:
 * `llmatic worker` serves the queue the run's config names, with its lock and retry settings.
 */
export function queueSettingsOf(executor: unknown): QueueSettings | undefined {
  if (typeof executor !== 'object' || executor === null) return undefined;
  return (executor as { [SETTINGS]?: QueueSettings })[SETTINGS];
}
