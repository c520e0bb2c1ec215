/**
 * The Redis queue executor, with a worker serving its queue, keeps the executor contract of
 * @llmatic/testkit. Needs redis-server; skipped with a message when it is not installed.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { Executor } from '@llmatic/core';
import { queueExecutor, resolveQueueOptions, serveQueue } from '@llmatic/executor-queue';
import { describeExecutorContract } from '@llmatic/testkit';
import { NO_REDIS_MESSAGE, redisServerPath, startRedis, type RedisServer } from './redis-server.js';
import { testPipeline } from './test-pipeline.js';

if (!redisServerPath) console.warn(NO_REDIS_MESSAGE);

let redis: RedisServer | undefined;
let queues = 0;

/** An executor on a queue of its own, served by one worker; closing it stops the worker too. */
async function servedExecutor(): Promise<Executor> {
  if (!redis) throw new Error('redis-server did not start');
  const queue = `contract${process.pid}-${++queues}`;
  const settings = resolveQueueOptions({ connection: redis.url, queue, lockMs: 1_000, stalledCheckMs: 500 });
  const worker = await serveQueue({ pipeline: testPipeline().pipeline, settings, concurrency: 2 });
  const executor = queueExecutor({ connection: redis.url, queue });
  return {
    run: (job, signal) => executor.run(job, signal),
    async close() {
      await executor.close();
      await worker.stop();
    },
  };
}

describe.skipIf(!redisServerPath)('executor-queue', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describeExecutorContract('executor-queue (Redis + a worker)', {
    create: servedExecutor,
    valid: ['{"value": 7}', '{"value": 3, "sleepMs": 20}'],
    invalid: ['{"no": "value"}', 'not json'],
    descriptors: 1,
  });
});
