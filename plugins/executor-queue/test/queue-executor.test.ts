/** The queue executor and a worker against a real redis-server on loopback. */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateProgram } from '@llmatic/core';
import { artifactsKey, jobIdOf, queueExecutor, resolveQueueOptions, serveQueue, type QueueExecutor, type QueueWorker, type QueueWorkerEvent } from '@llmatic/executor-queue';
import { freePort, NO_REDIS_MESSAGE, redisServerPath, startRedis, type RedisServer } from './redis-server.js';
import { ALL_BYTES, testPipeline } from './test-pipeline.js';

if (!redisServerPath) console.warn(NO_REDIS_MESSAGE);

let queues = 0;
/** A queue of its own for each test. */
const freshQueue = () => `t${process.pid}-${++queues}`;

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe.skipIf(!redisServerPath)('queue executor', () => {
  let redis: RedisServer;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const undo of cleanup.reverse()) await undo().catch(() => undefined);
    await redis?.stop();
  });

  const executor = (queue: string, extra: Parameters<typeof queueExecutor>[0] = {}): QueueExecutor => {
    const created = queueExecutor({ connection: redis.url, queue, ...extra });
    cleanup.push(() => created.close());
    return created;
  };
  const worker = async (queue: string, extra: { concurrency?: number; jobTimeoutMs?: number; attempts?: number } = {}) => {
    const { pipeline, evaluated } = testPipeline();
    const events: QueueWorkerEvent[] = [];
    const settings = resolveQueueOptions({
      connection: redis.url,
      queue,
      lockMs: 1_000,
      stalledCheckMs: 500,
      ...(extra.jobTimeoutMs ? { jobTimeoutMs: extra.jobTimeoutMs } : {}),
      ...(extra.attempts ? { attempts: extra.attempts } : {}),
    });
    const served: QueueWorker = await serveQueue({ pipeline, settings, concurrency: extra.concurrency ?? 1, onEvent: (e) => events.push(e) });
    cleanup.push(() => served.stop());
    return { served, evaluated, events };
  };
  const raw = () => {
    const client = new Redis(redis.url);
    cleanup.push(async () => client.disconnect());
    return client;
  };
  const inspector = (queue: string) => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const bull = new Queue(queue, { connection: client });
    cleanup.push(async () => {
      await bull.close();
      client.disconnect();
    });
    return bull;
  };

  it('round-trips a job through a worker: result, metrics, info and artifact bytes as in process', async () => {
    const queue = freshQueue();
    const { evaluated, events } = await worker(queue);
    const job = { candidateId: 'g0-1', code: '{"value": 7}' };
    const result = await executor(queue).run(job);
    const local = await evaluateProgram(testPipeline().pipeline, job);
    expect(result.ok).toBe(true);
    if (!result.ok || !local.ok) throw new Error('expected a valid result');
    const { evaluationMs: _remote, artifacts, ...rest } = result;
    const { evaluationMs: _local, artifacts: localArtifacts, ...localRest } = local;
    expect(rest).toEqual(localRest);
    expect(rest).toMatchObject({ fitness: 0.7, descriptors: [7], metrics: { value: 7, half: 3.5 }, info: { evaluatedBy: 'test' } });
    expect(artifacts).toHaveLength(1);
    expect(artifacts?.[0]?.name).toBe('weights.bin');
    expect(artifacts?.[0]?.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(artifacts?.[0]?.data ?? [])).toEqual(Array.from(ALL_BYTES));
    expect(localArtifacts?.[0]?.data).toEqual(ALL_BYTES);
    expect(evaluated).toEqual(['g0-1']);
    expect(events).toEqual([expect.objectContaining({ type: 'job', candidateId: 'g0-1' })]);
    // Collected results, artifacts included, are deleted from Redis.
    const id = jobIdOf(job, undefined);
    await waitFor(async () => (await inspector(queue).getJob(id)) === undefined, 'the collected job to be deleted');
    await waitFor(async () => (await raw().exists(artifactsKey(queue, id))) === 0, 'the artifacts to be deleted');
  });

  it('returns failures of the pipeline as failures, not errors', async () => {
    const queue = freshQueue();
    await worker(queue);
    const result = await executor(queue).run({ candidateId: 'g0-2', code: 'not json' });
    expect(result).toMatchObject({ ok: false, failure: { reason: 'compile' } });
  });

  it('on abort, removes a job no worker has taken and rejects with the abort reason', async () => {
    const queue = freshQueue();
    const bull = inspector(queue);
    const coordinator = executor(queue);
    const job = { candidateId: 'g3-4', code: '{"value": 3}' };
    const controller = new AbortController();
    const running = coordinator.run(job, controller.signal);
    await waitFor(async () => (await bull.getJob(jobIdOf(job, undefined))) !== undefined, 'the job to be queued');
    const reason = new Error('stopped by the test');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await waitFor(async () => (await bull.getJob(jobIdOf(job, undefined))) === undefined, 'the job to be removed');
    // A worker started afterwards never sees it.
    const { evaluated } = await worker(queue);
    await new Promise((done) => setTimeout(done, 300));
    expect(evaluated).toEqual([]);
    expect(await bull.getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 0, active: 0, completed: 0 });
  });

  it('queues a job submitted again (a resumed coordinator) only once, and both get its result', async () => {
    const queue = freshQueue();
    const bull = inspector(queue);
    const job = { candidateId: 'g1-0', code: '{"value": 5}' };
    const crashed = executor(queue).run(job);
    const resumed = executor(queue).run(job);
    await waitFor(async () => (await bull.getJobCounts('waiting')).waiting === 1, 'the job to be queued');
    await new Promise((done) => setTimeout(done, 200));
    expect((await bull.getJobCounts('waiting')).waiting).toBe(1);
    const { evaluated } = await worker(queue);
    const [a, b] = await Promise.all([crashed, resumed]);
    expect(a).toMatchObject({ ok: true, fitness: 0.5 });
    expect(b).toMatchObject({ ok: true, fitness: 0.5 });
    expect(evaluated).toEqual(['g1-0']);
  });

  it('picks up a result a worker finished while no coordinator waited (resume after a crash)', async () => {
    const queue = freshQueue();
    const job = { candidateId: 'g2-9', code: '{"value": 9}' };
    const controller = new AbortController();
    const { evaluated } = await worker(queue);
    // The coordinator "dies" right after the worker started the job; the worker finishes it.
    const slow = { candidateId: job.candidateId, code: '{"value": 9, "sleepMs": 300}' };
    const first = executor(queue).run(slow, controller.signal);
    await waitFor(() => evaluated.length === 1, 'the worker to start the job');
    controller.abort(new Error('coordinator gone'));
    await expect(first).rejects.toThrow('coordinator gone');
    await waitFor(async () => (await inspector(queue).getJobCounts('completed')).completed === 1, 'the job to complete');
    const again = await executor(queue).run(slow);
    expect(again).toMatchObject({ ok: true, fitness: 0.9 });
    expect(again.ok && Array.from(again.artifacts?.[0]?.data ?? [])).toEqual(Array.from(ALL_BYTES));
    expect(evaluated).toEqual(['g2-9']);
  });

  it('keeps runs with different run ids apart', async () => {
    const queue = freshQueue();
    const job = { candidateId: 'seed', code: '{"value": 2}' };
    const { evaluated } = await worker(queue);
    await executor(queue, { runId: 'run-a' }).run(job);
    await executor(queue, { runId: 'run-b' }).run(job);
    expect(evaluated).toEqual(['seed', 'seed']);
    expect(jobIdOf(job, 'run-a')).not.toBe(jobIdOf(job, 'run-b'));
  });

  it('records an evaluation over jobTimeoutMs as a timeout', async () => {
    const queue = freshQueue();
    await worker(queue, { jobTimeoutMs: 200 });
    const result = await executor(queue).run({ candidateId: 'g0-0', code: '{"value": 1, "sleepMs": 5000}' });
    expect(result).toMatchObject({ ok: false, failure: { reason: 'timeout', message: expect.stringContaining('200 ms') } });
  });

  it('a stopping worker finishes its current job first', async () => {
    const queue = freshQueue();
    const { served, events, evaluated } = await worker(queue);
    const running = executor(queue).run({ candidateId: 'g5-4', code: '{"value": 8, "sleepMs": 300}' });
    await waitFor(() => evaluated.length === 1, 'the worker to start the job');
    await served.stop();
    expect(events).toEqual([expect.objectContaining({ type: 'job', candidateId: 'g5-4' })]);
    expect(await running).toMatchObject({ ok: true, fitness: 0.8 });
  });

  it('a stopping worker that releases its job gives it to another worker', async () => {
    const queue = freshQueue();
    const first = await worker(queue);
    const running = executor(queue).run({ candidateId: 'g5-5', code: '{"value": 4, "sleepMs": 2000}' });
    await waitFor(() => first.evaluated.length === 1, 'the first worker to start the job');
    const stopped = first.served.stop();
    first.served.release();
    await stopped;
    expect(first.events).toEqual([expect.objectContaining({ type: 'released', candidateId: 'g5-5' })]);
    const second = await worker(queue);
    expect(await running).toMatchObject({ ok: true, fitness: 0.4 });
    expect(second.evaluated).toEqual(['g5-5']);
  });

  /** A worker that takes one job and then dies: it holds the job without renewing its lock. */
  const dyingWorker = async (queue: string) => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    let took = false;
    const zombie = new Worker(
      queue,
      async () => {
        took = true;
        await new Promise(() => undefined);
      },
      { connection: client, lockDuration: 1_000, skipLockRenewal: true, skipStalledCheck: true },
    );
    await zombie.waitUntilReady();
    cleanup.push(async () => {
      await zombie.close(true);
      client.disconnect();
    });
    return { took: () => took, zombie };
  };

  it('gives the job of a worker that died mid-job to another worker', async () => {
    const queue = freshQueue();
    const dying = await dyingWorker(queue);
    const running = executor(queue).run({ candidateId: 'g4-1', code: '{"value": 6}' });
    await waitFor(dying.took, 'the dying worker to take the job');
    await dying.zombie.pause(true);
    const { evaluated } = await worker(queue);
    expect(await running).toMatchObject({ ok: true, fitness: 0.6 });
    expect(evaluated).toEqual(['g4-1']);
  });

  it('records a crash when workers keep dying on a job past `attempts`', async () => {
    const queue = freshQueue();
    const dying = await dyingWorker(queue);
    const running = executor(queue, { attempts: 1 }).run({ candidateId: 'g4-2', code: '{"value": 6}' });
    await waitFor(dying.took, 'the dying worker to take the job');
    const { evaluated } = await worker(queue, { attempts: 1 });
    const crashed = await running;
    expect(crashed).toMatchObject({ ok: false, failure: { reason: 'crash', message: expect.stringContaining('the worker evaluating it died') } });
    expect(evaluated).toEqual([]);
  });

  it('says once, naming the address and the fix, that Redis is down', async () => {
    const port = await freePort();
    const down = queueExecutor({ connection: `redis://127.0.0.1:${port}`, queue: freshQueue() });
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      const started = Date.now();
      const attempts = await Promise.allSettled([1, 2, 3].map((i) => down.run({ candidateId: `g0-${i}`, code: '{"value": 1}' })));
      expect(Date.now() - started).toBeLessThan(6_000);
      for (const attempt of attempts) {
        expect(attempt.status).toBe('rejected');
        const message = attempt.status === 'rejected' ? String((attempt.reason as Error).message) : '';
        expect(message).toContain(`Cannot reach Redis at redis://127.0.0.1:${port}`);
        expect(message).toContain('ECONNREFUSED');
        expect(message).toContain('redis-server');
      }
      await down.close();
    } finally {
      console.error = original;
    }
    expect(errors).toEqual([]);
  });

  it('stops waiting, with the fix, when Redis goes away mid-run', async () => {
    const own = await startRedis();
    try {
      const coordinator = queueExecutor({ connection: own.url, queue: freshQueue(), outageMs: 500 });
      cleanup.push(() => coordinator.close());
      const running = coordinator.run({ candidateId: 'g0-0', code: '{"value": 1}' });
      await new Promise((done) => setTimeout(done, 200));
      await own.stop();
      await expect(running).rejects.toThrow(/Lost Redis at redis:\/\/127\.0\.0\.1:\d+ .*llmatic resume/);
    } finally {
      await own.stop();
    }
  });

  it('rejects bad options, naming the field', () => {
    expect(() => queueExecutor({ queue: 'a:b' })).toThrow(/queue: queue may hold letters/);
    expect(() => queueExecutor({ connection: 'localhost:6379' })).toThrow(/connection: .*redis:\/\//);
    expect(() => queueExecutor({ attempts: 0 })).toThrow(/attempts/);
  });
});
