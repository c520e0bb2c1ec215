import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EvaluationJob, Executor, JobResult } from '@llmatic/core';
import { attachSettings, resolveQueueOptions, type QueueExecutorOptions, type QueueSettings } from './options.js';
import { snapshotJob } from './job-snapshot.js';
import { describeConnection, probeRedis, queueClient, QueueUnavailableError } from './redis.js';
import { artifactsKey, attachArtifacts, decodeResult, encodeJob, jobIdOf, JOB_NAME, type JobData } from './wire.js';

interface Connected {
  client: Redis;
  queue: Queue<JobData>;
  events: QueueEvents;
  timer: NodeJS.Timeout;
}

/** A job this process waits for. */
interface Waiter {
  data: JobData;
  finish(result: JobResult): void;
  fail(error: Error): void;
}

/** Events carry every job's result (artifacts travel apart): a short stream is enough. */
const EVENTS_MAX_LEN = 2_000;
/** Job states from which a job can still be withdrawn before a worker takes it. */
const WITHDRAWABLE = new Set(['waiting', 'prioritized', 'delayed', 'paused', 'wait']);

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Evaluates on other machines: each job goes into a Redis queue (BullMQ) that `llmatic worker`
 * processes serve, and `run()` resolves when a worker has finished it, so the run's
 * `concurrency.evaluations` bounds the jobs in flight. Connects on the first `run()`, not
 * before: workers import the same config file.
 */
export class QueueExecutor implements Executor {
  readonly settings: QueueSettings;
  private connecting: Promise<Connected> | undefined;
  private readonly waiters = new Map<string, Waiter>();
  /** Withdrawals and deletions still in flight; `close()` lets them finish. */
  private readonly chores = new Set<Promise<void>>();
  private downSince: number | undefined;
  private lastError: string | undefined;
  /** Bumped by `close()`, so that a connection still being opened then is dropped. */
  private epoch = 0;

  constructor(options: QueueExecutorOptions) {
    this.settings = resolveQueueOptions(options);
    attachSettings(this, this.settings);
  }

  async run(job: EvaluationJob, signal?: AbortSignal): Promise<JobResult> {
    signal?.throwIfAborted();
    const connected = await this.connect();
    signal?.throwIfAborted();
    const id = jobIdOf(job, this.settings.runId);
    if (this.waiters.has(id)) throw new Error(`Candidate ${job.candidateId} is already being evaluated by this run (job ${id}).`);
    return new Promise<JobResult>((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(id);
      };
      const onAbort = () => {
        done();
        this.chore(this.withdraw(connected, id));
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        data: encodeJob(job),
        finish: (result) => {
          if (this.waiters.get(id) !== waiter) return;
          done();
          // Collected: the result now lives in the run store, so Redis need not keep it.
          this.chore(this.discard(connected, id));
          resolve(result);
        },
        fail: (error) => {
          if (this.waiters.get(id) !== waiter) return;
          done();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(id, waiter);
      void this.submit(connected, id, waiter);
    });
  }

  /** Stops waiting and disconnects; a later `run()` connects again. */
  async close(): Promise<void> {
    this.epoch += 1;
    const connecting = this.connecting;
    this.connecting = undefined;
    for (const waiter of this.waiters.values()) waiter.fail(new Error('The queue executor was closed.'));
    if (!connecting) return;
    const connected = await connecting.catch(() => undefined);
    if (!connected) return;
    await this.shutdown(connected);
  }

  private connect(): Promise<Connected> {
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private async open(): Promise<Connected> {
    const epoch = this.epoch;
    const { connection, queue: name } = this.settings;
    if (connection === undefined) {
      throw new QueueUnavailableError(
        'queueExecutor has no Redis connection: set `connection`, e.g. queueExecutor({ connection: process.env.LLMATIC_REDIS_URL }) and LLMATIC_REDIS_URL=redis://host:6379.',
      );
    }
    await probeRedis(connection, 'or point queueExecutor({ connection }) at a running one.');
    this.downSince = undefined;
    const client = queueClient(connection, (error) => {
      this.lastError = error.message;
    });
    const queue = new Queue<JobData>(name, { connection: client, streams: { events: { maxLen: EVENTS_MAX_LEN } } });
    const events = new QueueEvents(name, { connection: client });
    // Errors are connection trouble, which the outage watchdog reports; without listeners
    // BullMQ prints each one.
    queue.on('error', (error) => (this.lastError = error.message));
    events.on('error', (error) => (this.lastError = error.message));
    events.on('completed', ({ jobId, returnvalue }) => {
      const waiter = this.waiters.get(jobId);
      if (waiter) void this.collect(connected, jobId, waiter, returnvalue);
    });
    events.on('failed', ({ jobId }) => this.recheck(jobId));
    // Removed by someone else (another coordinator sharing the job, an operator): queue it again.
    events.on('removed', ({ jobId }) => this.recheck(jobId));
    client.on('ready', () => {
      // Back after an outage: Redis may have restarted empty, and events may have been missed.
      this.downSince = undefined;
      for (const id of this.waiters.keys()) this.recheck(id);
    });
    client.on('close', () => (this.downSince ??= Date.now()));
    const pollMs = Math.max(250, Math.min(5_000, Math.floor(this.settings.outageMs / 4)));
    const connected: Connected = { client, queue, events, timer: setInterval(() => this.poll(), pollMs).unref() };
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (error) {
      await this.shutdown(connected);
      throw new QueueUnavailableError(`Cannot use Redis at ${describeConnection(connection)}: ${errorText(error)}`);
    }
    if (this.epoch !== epoch) {
      await this.shutdown(connected);
      throw new Error('The queue executor is closed.');
    }
    return connected;
  }

  /** Queues the job (a no-op when a job with its id exists) and looks at where it stands. */
  private async submit(connected: Connected, id: string, waiter: Waiter): Promise<void> {
    const { attempts, keepResultsSeconds } = this.settings;
    try {
      await connected.queue.add(JOB_NAME, waiter.data, {
        jobId: id,
        attempts,
        removeOnComplete: { age: keepResultsSeconds },
        removeOnFail: { age: keepResultsSeconds },
      });
      await this.inspect(connected, id, waiter);
    } catch (error) {
      waiter.fail(new Error(`Could not queue candidate ${waiter.data.candidateId} on ${this.where()}: ${errorText(error)}`));
    }
  }

  /**
   * Settles the waiter when its job has finished; queues the job again when it has vanished. An
   * unfinished job is left to its `completed` event (or the next poll).
   */
  private async inspect(connected: Connected, id: string, waiter: Waiter): Promise<void> {
    const snapshot = await snapshotJob(connected.client, connected.queue, id);
    if (this.waiters.get(id) !== waiter) return;
    if (snapshot.state === 'missing') await this.submit(connected, id, waiter);
    else if (snapshot.state === 'completed') await this.collect(connected, id, waiter, snapshot.returnvalue);
    else if (snapshot.state === 'failed') waiter.finish(this.failureOf(snapshot.failedReason));
  }

  private recheck(id: string): void {
    const waiter = this.waiters.get(id);
    const connecting = this.connecting;
    if (!waiter || !connecting) return;
    void connecting
      .then((connected) => this.inspect(connected, id, waiter))
      .catch((error: unknown) => (this.lastError = errorText(error)));
  }

  /** A safety net for missed events, and the watchdog that gives up on a lost Redis. */
  private poll(): void {
    if (this.downSince !== undefined && Date.now() - this.downSince > this.settings.outageMs) {
      const error = new QueueUnavailableError(
        `Lost Redis at ${this.where()} for more than ${Math.round(this.settings.outageMs / 1000)} s (${this.lastError ?? 'connection closed'}). Start it again, then \`llmatic resume\` the run: finished jobs are kept.`,
      );
      const connecting = this.connecting;
      this.connecting = undefined;
      this.downSince = undefined;
      for (const waiter of this.waiters.values()) waiter.fail(error);
      void connecting?.then((connected) => this.shutdown(connected)).catch(() => undefined);
      return;
    }
    if (this.downSince === undefined) for (const id of this.waiters.keys()) this.recheck(id);
  }

  /** Settles the waiter with a finished job's result and its artifacts. */
  private async collect(connected: Connected, id: string, waiter: Waiter, value: unknown): Promise<void> {
    const { result, artifacts } = decodeResult(value);
    if (artifacts.length === 0) {
      waiter.finish(result);
      return;
    }
    try {
      const stored = await connected.client.hgetallBuffer(artifactsKey(this.settings.queue, id));
      waiter.finish(attachArtifacts(result, artifacts, stored));
    } catch (error) {
      waiter.fail(new Error(`Could not read the artifacts of candidate ${waiter.data.candidateId} from ${this.where()}: ${errorText(error)}`));
    }
  }

  /** Deletes a collected job and its artifacts. */
  private async discard(connected: Connected, id: string): Promise<void> {
    await connected.queue.remove(id);
    await connected.client.del(artifactsKey(this.settings.queue, id));
  }

  /** Removes a job no one waits for any more, unless a worker has already started it. */
  private async withdraw(connected: Connected, id: string): Promise<void> {
    const job = await connected.queue.getJob(id);
    if (job && WITHDRAWABLE.has(await job.getState())) await connected.queue.remove(id);
  }

  private failureOf(reason: string | undefined): JobResult {
    const text = reason ?? 'unknown failure';
    const { attempts } = this.settings;
    const message = /stalled more than allowable limit/.test(text)
      ? `the worker evaluating it died ${attempts === 1 ? 'on its only attempt' : `on each of its ${attempts} attempts`} (queueExecutor \`attempts\`): a candidate that kills its worker (out of memory, a native crash) is given up`
      : `worker error: ${text}`;
    return { ok: false, failure: { reason: 'crash', message }, evaluationMs: 0 };
  }

  private chore(work: Promise<void>): void {
    const tracked = work.catch(() => undefined).finally(() => this.chores.delete(tracked));
    this.chores.add(tracked);
  }

  private where(): string {
    return this.settings.connection === undefined ? '(no connection)' : describeConnection(this.settings.connection);
  }

  private async shutdown(connected: Connected): Promise<void> {
    clearInterval(connected.timer);
    // Let withdrawals finish, but never hang on a Redis that is gone.
    const settle = (work: Promise<unknown>) =>
      Promise.race([work.catch(() => undefined), new Promise((done) => setTimeout(done, 2_000).unref())]);
    await settle(Promise.all([...this.chores]));
    await settle(Promise.all([connected.events.close(), connected.queue.close()]));
    connected.client.disconnect();
  }
}

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
 * then `llmatic worker llmatic.config.ts` on each machine and `llmatic run llmatic.config.ts`.
 */
export function queueExecutor(options: QueueExecutorOptions = {}): QueueExecutor {
  return new QueueExecutor(options);
}
