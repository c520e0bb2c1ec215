/**
 * Evaluation scaled out through Redis: `llmatic run` with the queue executor, two `llmatic worker`
 * processes, one of them SIGKILLed in the middle of a job. The run must complete with every
 * candidate recorded once and the very summary an in-process run of the same seed gives.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, type RunSummary } from '@llmatic/core';
import { freePort, NO_REDIS_MESSAGE, redisServerPath, startRedis, type RedisServer } from '../plugins/executor-queue/test/redis-server.js';
import { startOpenAIServer, type LLMDouble } from './doubles/openai-server.js';
import { nb201Reply } from './support/nb201-llm-double.js';
import { assertCliBuilt, sharedTable, startCli, type CliRun } from './support/cli.js';

const hasTable = existsSync(sharedTable);
if (!redisServerPath) console.warn(`queue end-to-end test ${NO_REDIS_MESSAGE}`);
if (!hasTable) console.warn(`SKIPPED queue end-to-end test: no NAS-Bench-201 table at ${sharedTable}`);

const example = 'examples/nasbench201/llmatic.config.ts';
const fixture = 'test/fixtures/nb201-queue.config.ts';
const runFlags = ['-g', '3', '-b', '16', '--seed', '7'];

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, watch: CliRun[], ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${watch.map((c) => c.output()).join('\n---\n')}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

/** The summary without what differs between any two runs (folder, wall-clock time). */
const comparable = (summary: RunSummary) => ({ ...summary, dir: null, elapsedSeconds: null });

describe.skipIf(!redisServerPath || !hasTable)('queue executor end to end (llmatic run + two llmatic workers)', () => {
  let redis: RedisServer;
  let llm: LLMDouble;
  const started: CliRun[] = [];
  beforeAll(async () => {
    assertCliBuilt();
    [redis, llm] = await Promise.all([startRedis(), startOpenAIServer({ models: ['coder-double'], reply: nb201Reply })]);
  });
  afterAll(async () => {
    for (const cli of started) if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await Promise.all([redis?.stop(), llm?.close()]);
  });

  const llmEnv = () => ({
    LLMATIC_LLM: 'openai',
    LLMATIC_MODEL: 'coder-double',
    OPENAI_BASE_URL: llm.url,
    OPENAI_API_KEY: 'sk-test',
    LLMATIC_NB201_TABLE: sharedTable,
  });

  it('stops the run with one clear error, and resume continues, when Redis is down', async () => {
    const port = await freePort();
    const dir = join(mkdtempSync(join(tmpdir(), 'llmatic-queue-')), 'run');
    const cli = startCli(['run', fixture, '--out', dir, '-g', '1', '-b', '2'], { ...llmEnv(), LLMATIC_REDIS_URL: `redis://127.0.0.1:${port}` });
    started.push(cli);
    expect(await cli.exit).toBe(1);
    expect(cli.output()).toContain(`Cannot reach Redis at redis://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}). Start it (e.g. \`redis-server --port ${port}\``);
    expect(cli.output()).toContain(`continue with: llmatic resume ${dir}`);
    expect(cli.output()).not.toContain('ioredis');
    // With Redis up (and a worker), the same run resumes to completion.
    const worker = startCli(['worker', fixture, '--concurrency', '1'], { ...llmEnv(), LLMATIC_REDIS_URL: redis.url });
    started.push(worker);
    const resumed = startCli(['resume', dir], { ...llmEnv(), LLMATIC_REDIS_URL: redis.url });
    started.push(resumed);
    expect(await resumed.exit, resumed.output()).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ status: 'completed', evaluations: 2 });
    worker.child.kill('SIGINT');
    expect(await worker.exit, worker.output()).toBe(0);
  });

  it('survives a worker killed mid-job and matches an in-process run', async () => {
    const env = llmEnv();
    const queueEnv = { ...env, LLMATIC_REDIS_URL: redis.url, LLMATIC_TEST_EVALUATION_MS: '150' };
    const scratch = mkdtempSync(join(tmpdir(), 'llmatic-queue-'));
    const referenceDir = join(scratch, 'in-process');
    const queueDir = join(scratch, 'queue');

    // The reference: the example config, evaluated in process.
    const reference = startCli(['run', example, '--out', referenceDir, ...runFlags], env);
    // Worker A is told where Redis is; worker B finds it in the config's queueExecutor.
    const workerA = startCli(['worker', fixture, '--redis', redis.url, '--concurrency', '2'], queueEnv);
    const workerB = startCli(['worker', fixture, '--concurrency', '2'], queueEnv);
    started.push(reference, workerA, workerB);
    for (const worker of [workerA, workerB]) {
      await until(() => (worker.output().includes('serving queue "llmatic"') ? true : undefined), 'a worker to start', [worker]);
    }
    expect(workerA.output()).toContain(`at ${redis.url}`);
    const coordinator = startCli(['run', fixture, '--out', queueDir, ...runFlags], queueEnv);
    started.push(coordinator);

    // Kill worker A while it holds a job.
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('llmatic', { connection: client });
    try {
      const nameA = `${hostname()}:${workerA.child.pid}`;
      const killedJob = await until(
        async () => (await queue.getJobs(['active'])).find((job) => job.processedBy === nameA),
        'worker A to take a job',
        [coordinator, workerA],
      );
      workerA.child.kill('SIGKILL');
      expect(await workerA.exit).toBeNull();
      const killedCandidate = (killedJob.data as { candidateId: string }).candidateId;

      expect(await coordinator.exit, coordinator.output()).toBe(0);
      expect(await reference.exit, reference.output()).toBe(0);

      // Worker B finished the job A died on (BullMQ's stalled-job check gave it back).
      expect(workerB.output()).toMatch(new RegExp(`\\b${killedCandidate} ok fitness`));
      // Every candidate recorded exactly once, none of them a crash.
      const store = RunStore.open(queueDir, { readonly: true });
      const candidates = store.candidates();
      store.close();
      expect(candidates).toHaveLength(49);
      expect(new Set(candidates.map((c) => c.id)).size).toBe(49);
      expect(candidates.map((c) => c.id)).toContain(killedCandidate);
      expect(candidates.filter((c) => c.failureReason === 'crash')).toEqual([]);

      const viaQueue = JSON.parse(readFileSync(join(queueDir, 'summary.json'), 'utf8')) as RunSummary;
      const inProcess = JSON.parse(readFileSync(join(referenceDir, 'summary.json'), 'utf8')) as RunSummary;
      expect(viaQueue).toMatchObject({ status: 'completed', evaluations: 48, seed: 7 });
      expect(comparable(viaQueue)).toEqual(comparable(inProcess));

      // Collected results are not left behind in Redis.
      expect(await queue.getJobCounts('waiting', 'active', 'completed', 'failed')).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0 });
    } finally {
      await queue.close();
      client.disconnect();
    }

    // Ctrl-C stops the idle worker cleanly.
    workerB.child.kill('SIGINT');
    expect(await workerB.exit, workerB.output()).toBe(0);
    expect(workerB.output()).toContain('worker stopped');
  }, 90_000);
});
