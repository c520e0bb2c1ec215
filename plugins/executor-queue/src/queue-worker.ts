import { hostname } from 'node:os';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { evaluateProgram, type JobResult, type Pipeline, type ServeEvent } from '@llmatic/core';
import type { QueueSettings, RedisConnection } from './options.js';
import { describeConnection, probeRedis, queueClient } from './redis.js';
import { artifactsKey, decodeJob, encodeResult, type JobData, type WireResult } from './wire.js';

/** What a serving worker reports, for logs: the kernel's {@link ServeEvent}. */
export type QueueWorkerEvent = ServeEvent;

export interface ServeQueueOptions<M> {
  /** The trusted pipeline jobs are evaluated with (built from the run's config). */
  pipeline: Pipeline<M>;
  /** Queue, lock and retry settings: usually those of the config's `queueExecutor(...)`. */
  settings: QueueSettings;
  /** Redis to serve; default `settings.connection`. */
  connection?: RedisConnection;
  /** Jobs evaluated at once by this worker (default 1). */
  concurrency?: number;
  /** Shown in BullMQ's job records (default `<host>:<pid>`). */
  name?: string;
  onEvent?: (event: QueueWorkerEvent) => void;
}

/** A worker serving a queue; see {@link serveQueue}. */
export interface QueueWorker {
  /** The Redis served, password masked. */
  readonly where: string;
  /** Takes no new job; resolves once the current ones are finished (or released) and reported. */
  stop(): Promise<void>;
  /**
   * Gives the current jobs back to the queue at once (their evaluations are aborted) so that
   * other workers take them; `stop()` then resolves promptly.
   */
  release(): void;
}

const RELEASED = 'the worker is stopping';

/** A socket-level failure (ECONNREFUSED, ECONNRESET, ...) or ioredis' closed connection. */
function isConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || /connection is closed/i.test(error.message);
}

/**
 * Serves evaluation jobs from the queue until stopped. Rejects with a clear error when Redis
 * cannot be reached. A job whose worker dies goes back to the queue once its lock lapses
 * (`settings.lockMs`); after `settings.attempts` starts it is recorded as a `crash`.
 */
export async function serveQueue<M>(options: ServeQueueOptions<M>): Promise<QueueWorker> {
  const { settings, pipeline, onEvent } = options;
  const connection = options.connection ?? settings.connection;
  if (connection === undefined) {
    throw new Error("No Redis to serve: set `connection` (`llmatic worker --redis redis://host:6379`, or the config's queueExecutor({ connection })).");
  }
  const where = describeConnection(connection);
  await probeRedis(connection, 'or pass the right address (`llmatic worker --redis URL`).');

  let lost = false;
  const noteLoss = (error: Error) => {
    if (lost) return;
    lost = true;
    onEvent?.({ type: 'connection-lost', message: error.message });
  };
  const client: Redis = queueClient(connection, noteLoss);
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    onEvent?.({ type: 'connection-restored' });
  });

  const processJob = async (job: Job<JobData, WireResult>, token: string | undefined, signal: AbortSignal | undefined): Promise<WireResult> => {
    const jobId = job.id ?? '(no id)';
    const decoded = decodeJob(job.data);
    if (!decoded.ok) {
      onEvent?.({ type: 'rejected', jobId, message: decoded.message });
      throw new UnrecoverableError(decoded.message);
    }
    const result = await evaluateWithin(pipeline, decoded.job, signal, settings.jobTimeoutMs);
    if (signal?.aborted) {
      // Released on stop: back to the queue for another worker, without using up an attempt.
      await job.moveToWait(token);
      onEvent?.({ type: 'released', jobId, candidateId: decoded.job.candidateId });
      throw new WaitingError();
    }
    const { wire, blobs } = encodeResult(result);
    if (blobs.length > 0) {
      // Beside the job, not in its result (see artifactsKey); kept as long as the job is.
      const key = artifactsKey(settings.queue, jobId);
      const fields = Object.fromEntries(blobs.map((blob, index) => [String(index), blob]));
      const replies = await client.multi().del(key).hset(key, fields).expire(key, settings.keepResultsSeconds).exec();
      const failed = replies?.find(([error]) => error !== null)?.[0];
      if (failed) throw failed;
    }
    onEvent?.({ type: 'job', jobId, candidateId: decoded.job.candidateId, result });
    return wire;
  };

  const worker = new Worker<JobData, WireResult>(settings.queue, processJob, {
    connection: client,
    concurrency: options.concurrency ?? 1,
    name: options.name ?? `${hostname()}:${process.pid}`,
    lockDuration: settings.lockMs,
    stalledInterval: settings.stalledCheckMs,
    maxStalledCount: settings.attempts - 1,
    removeOnComplete: { age: settings.keepResultsSeconds },
    removeOnFail: { age: settings.keepResultsSeconds },
  });
  // While the connection is down every command fails; the loss is reported once.
  worker.on('error', (error) => {
    if (isConnectionError(error)) noteLoss(error);
    else if (!lost) onEvent?.({ type: 'error', message: error.message });
  });
  try {
    await worker.waitUntilReady();
  } catch (error) {
    await worker.close(true).catch(() => undefined);
    client.disconnect();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    where,
    stop() {
      stopping ??= worker.close().finally(() => client.disconnect());
      return stopping;
    },
    release() {
      worker.cancelAllJobs(RELEASED);
    },
  };
}

/** Evaluates with the trusted pipeline, as a `timeout` failure past `timeoutMs`. */
async function evaluateWithin<M>(
  pipeline: Pipeline<M>,
  job: { candidateId: string; code: string },
  released: AbortSignal | undefined,
  timeoutMs: number | undefined,
): Promise<JobResult> {
  if (timeoutMs === undefined) return evaluateProgram(pipeline, job, released);
  const controller = new AbortController();
  const onRelease = () => controller.abort(released?.reason);
  released?.addEventListener('abort', onRelease, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  const timedOut = new Promise<JobResult>((done) => {
    timer = setTimeout(() => {
      controller.abort(new Error('timeout'));
      done({
        ok: false,
        failure: { reason: 'timeout', message: `evaluation took longer than ${timeoutMs} ms (jobTimeoutMs)` },
        evaluationMs: performance.now() - started,
      });
    }, timeoutMs);
  });
  try {
    return await Promise.race([evaluateProgram(pipeline, job, controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
    released?.removeEventListener('abort', onRelease);
  }
}
