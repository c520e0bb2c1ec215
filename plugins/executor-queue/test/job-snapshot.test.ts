/** snapshotJob against a real redis-server: each state a job passes through, read in one go. */
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotJob } from '../src/job-snapshot.js';
import { NO_REDIS_MESSAGE, redisServerPath, startRedis, type RedisServer } from './redis-server.js';

if (!redisServerPath) console.warn(NO_REDIS_MESSAGE);

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe.skipIf(!redisServerPath)('snapshotJob', () => {
  let redis: RedisServer;
  let client: Redis;
  let queue: Queue;
  let worker: Worker | undefined;
  /** Lets a job the worker holds finish, by id: with a result, or by throwing. */
  const release = new Map<string, (outcome: { value?: unknown; error?: string }) => void>();

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    queue = new Queue('snapshots', { connection: client });
  });
  afterAll(async () => {
    await worker?.close(true);
    await queue?.close();
    client?.disconnect();
    await redis?.stop();
  });

  const startWorker = () => {
    worker = new Worker(
      'snapshots',
      (job: Job) =>
        new Promise((done, failed) => {
          release.set(job.id ?? '', ({ value, error }) => (error ? failed(new Error(error)) : done(value)));
        }),
      { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) },
    );
  };
  const state = async (id: string) => (await queue.getJob(id))?.getState();
  /** Waits until the worker runs the job (its processor holds it), then settles it. */
  const settle = async (id: string, outcome: { value?: unknown; error?: string }) => {
    await waitFor(async () => release.has(id), `job ${id} to be taken`);
    release.get(id)?.(outcome);
    release.delete(id);
  };

  it('reads a missing, waiting, active, completed and removed job', async () => {
    expect(await snapshotJob(client, queue, 'nope')).toEqual({ state: 'missing' });
    await queue.add('evaluate', { n: 1 }, { jobId: 'done-1' });
    expect(await snapshotJob(client, queue, 'done-1')).toEqual({ state: 'unfinished' });
    startWorker();
    await waitFor(async () => (await state('done-1')) === 'active', 'the job to be taken');
    expect(await snapshotJob(client, queue, 'done-1')).toEqual({ state: 'unfinished' });
    await settle('done-1', { value: { ok: true, fitness: 0.5 } });
    await waitFor(async () => (await state('done-1')) === 'completed', 'the job to complete');
    expect(await snapshotJob(client, queue, 'done-1')).toEqual({ state: 'completed', returnvalue: { ok: true, fitness: 0.5 } });
    await queue.remove('done-1');
    expect(await snapshotJob(client, queue, 'done-1')).toEqual({ state: 'missing' });
  });

  it('reads a job that failed for good, with its reason, and one that will be retried as unfinished', async () => {
    await queue.add('evaluate', { n: 2 }, { jobId: 'failed-1', attempts: 2, backoff: { type: 'fixed', delay: 60_000 } });
    await settle('failed-1', { error: 'first try' });
    await waitFor(async () => (await state('failed-1')) === 'delayed', 'the job to wait for its retry');
    expect(await snapshotJob(client, queue, 'failed-1')).toEqual({ state: 'unfinished' });
    await queue.add('evaluate', { n: 3 }, { jobId: 'failed-2' });
    await settle('failed-2', { error: 'out of memory' });
    await waitFor(async () => (await state('failed-2')) === 'failed', 'the job to fail');
    expect(await snapshotJob(client, queue, 'failed-2')).toEqual({ state: 'failed', failedReason: 'out of memory' });
  });
});
