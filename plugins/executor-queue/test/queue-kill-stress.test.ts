/**
 * Issue 9, class 7: workers SIGKILLed mid-job, again and again, on cores kept busy, must never
 * turn a candidate into a crash, and every candidate must settle exactly once. The coordinator
 * polls each job four times a second, so collection races job completion all along.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobResult } from '@llmatic/core';
import { queueExecutor } from '@llmatic/executor-queue';
import { NO_REDIS_MESSAGE, redisServerPath, startRedis, type RedisServer } from './redis-server.js';

if (!redisServerPath) console.warn(NO_REDIS_MESSAGE);

const ROUNDS = 20;
/** More starts than any job can have in ROUNDS kills: a crash can only come from collection. */
const ATTEMPTS = ROUNDS + 5;
/** Workers serving at first; each kill starts another, until two are left to outlive the rounds. */
const FIRST_WORKERS = 4;
const WORKERS = ROUNDS + 2;
const IN_FLIGHT = 8;
const JOB_MS = 120;
/** Kills are spread out so that jobs keep completing (and being collected) between them. */
const ROUND_GAP_MS = 250;
/**
 * Bounds the whole test: about 20 s on a 2-core machine, most of it starting the 22 workers
 * (0.4 s of CPU each), which paces the rounds.
 */
const DEADLINE_MS = 100_000;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository, so that the bundle's imports of native addons (better-sqlite3) resolve.
const bundleDir = `${repoRoot}node_modules/.cache/llmatic-tests`;
const bundle = `${bundleDir}/stress-worker-${process.pid}.mjs`;

/**
 * The worker, its sources and its dependencies as one file: a worker process then starts on
 * half the CPU that loading hundreds of modules (or a TypeScript loader) takes, which a busy
 * 2-core machine does not have to spare 22 times.
 */
async function bundleWorker(): Promise<void> {
  mkdirSync(bundleDir, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./stress-worker.ts', import.meta.url))],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons stay outside; the CommonJS dependencies inside need a `require`.
    external: ['better-sqlite3', 'msgpackr-extract'],
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    alias: { '@llmatic/core': `${repoRoot}packages/core/src/index.ts` },
    logLevel: 'warning',
  });
}

/**
 * Burns a core until the test process is gone (checked every 50 ms) or 2 minutes pass. One: the
 * rest of the suite runs beside this test, and the race shows with one core kept busy.
 */
const SPIN = `const parent = process.ppid, end = Date.now() + 120000;
while (process.ppid === parent && Date.now() < end) { const t = Date.now() + 50; while (Date.now() < t); }`;

interface WorkerProcess {
  child: ChildProcess;
  /** BullMQ's `processedBy` of its jobs. */
  name: string;
  ready: Promise<void>;
  isReady: () => boolean;
  exited: Promise<void>;
}

function startWorker(url: string, queue: string): WorkerProcess {
  const child = spawn(process.execPath, [bundle, url, queue, String(ATTEMPTS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let isReady = false;
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const ready = new Promise<void>((done, failed) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('ready')) return;
      isReady = true;
      done();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => failed(new Error(`a stress worker exited before it was ready:\n${output}`)));
  });
  ready.catch(() => undefined); // reported where it is awaited
  return { child, name: `${hostname()}:${child.pid}`, ready, isReady: () => isReady, exited };
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function until<T>(probe: () => Promise<T | undefined>, what: string, deadline: number): Promise<T> {
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe.skipIf(!redisServerPath)('queue executor with workers killed under CPU load', () => {
  let redis: RedisServer;
  const spinners: ChildProcess[] = [];
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    [redis] = await Promise.all([startRedis(), bundleWorker()]);
  });
  afterAll(async () => {
    for (const child of [...spinners, ...workers.map((w) => w.child)]) if (alive(child)) child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await redis?.stop();
    rmSync(bundle, { force: true });
  });

  it(`settles every candidate once and none as a crash, over ${ROUNDS} kills`, async () => {
    const deadline = Date.now() + DEADLINE_MS;
    const queue = `stress${process.pid}`;
    for (let i = 0; i < FIRST_WORKERS; i++) workers.push(startWorker(redis.url, queue));
    await Promise.all(workers.map((w) => w.ready));
    spinners.push(spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' }));

    // outageMs 1000: the coordinator polls every job every 250 ms.
    const executor = queueExecutor({ connection: redis.url, queue, attempts: ATTEMPTS, outageMs: 1_000 });
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const inspector = new Queue(queue, { connection: client });
    const results = new Map<string, JobResult>();
    const settledTwice: string[] = [];
    const killedJobs: string[] = [];
    let submitted = 0;
    let killing = true;
    try {
      // The coordinator: IN_FLIGHT candidates at a time, for as long as workers are being killed.
      const coordinator = Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (killing) {
            const index = submitted++;
            const candidateId = `g0-${index}`;
            const result = await executor.run({ candidateId, code: JSON.stringify({ value: index % 100, sleepMs: JOB_MS }) });
            if (results.has(candidateId)) settledTwice.push(candidateId);
            results.set(candidateId, result);
          }
        }),
      );
      coordinator.catch(() => undefined); // awaited below, unless the deadline came first
      for (let round = 1; round <= ROUNDS; round++) {
        await sleep(ROUND_GAP_MS);
        const { victim, job } = await until(
          async () => {
            // Keep another serving worker alive, to take back the jobs of the one killed.
            const live = workers.filter((w) => w.isReady() && alive(w.child));
            if (live.length < 2) return undefined;
            const active = await inspector.getJobs(['active']);
            for (const w of live) {
              const held = active.find((j) => j.processedBy === w.name);
              if (held) return { victim: w, job: held.id ?? '' };
            }
            return undefined;
          },
          `a worker holding a job (round ${round})`,
          deadline,
        );
        victim.child.kill('SIGKILL');
        await victim.exited;
        killedJobs.push(job);
        if (workers.length < WORKERS) workers.push(startWorker(redis.url, queue));
      }
      killing = false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([coordinator, ...workers.map((w) => w.ready)]),
        new Promise((_, failed) => {
          timer = setTimeout(() => failed(new Error('the candidates did not all settle in time')), Math.max(1, deadline - Date.now()));
        }),
      ]).finally(() => clearTimeout(timer));

      expect(killedJobs).toHaveLength(ROUNDS);
      expect(workers.filter((w) => alive(w.child))).toHaveLength(WORKERS - ROUNDS);
      const failures = [...results].flatMap(([id, r]) => (r.ok ? [] : [`${id}: ${r.failure.reason}: ${r.failure.message}`]));
      expect(failures).toEqual([]);
      expect(settledTwice).toEqual([]);
      expect(results.size).toBe(submitted);
      for (const [id, result] of results) expect(result.ok && result.fitness, id).toBe((Number(id.slice(3)) % 100) / 10);
    } finally {
      killing = false;
      for (const spinner of spinners) spinner.kill('SIGKILL');
      await executor.close();
      await inspector.close();
      client.disconnect();
    }
  }, DEADLINE_MS + 20_000);
});
