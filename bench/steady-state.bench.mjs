// Pipeline efficiency of the two schedules (issue 10): a 2,000-candidate LLMatic run on
// NAS-Bench-201 (20 x 100, an instant LLM) whose evaluator is the oracle behind a lognormal delay
// (sigma 0.8, mean ~20 ms, drawn from the candidate id, so both schedules see the same times),
// 8 evaluation slots in this process. Efficiency = run time / (total evaluation time / slots):
// 1.0 is no slot ever idle. Generations idle slots at their ends; steady-state should not.
// Through the queue (2 workers x 4 in this process, Redis on loopback) jobs are 100 ms on average
// (LLMATIC_QUEUE_MEAN_MS), with 4 more jobs in flight than worker slots (LLMATIC_QUEUED_AHEAD).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Rng, Runner, llmatic, resolveConfig } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { queueExecutor, resolveQueueOptions, serveQueue } from '@llmatic/executor-queue';
import { instantProvider } from './support/instant-provider.mjs';
import { hasRedis, startRedis } from './support/redis-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const table = process.env.LLMATIC_NB201_TABLE ?? resolve(here, '../../shared/data/nas-bench-201/nb201.csv.gz');

const SLOTS = 8;
const SIGMA = 0.8;
const QUEUED_AHEAD = Number(process.env.LLMATIC_QUEUED_AHEAD ?? 4);
// Through the queue each job costs the coordinator, Redis and a worker ~1-3 ms of CPU (see the
// queue bench); on this shared 2-core machine 20 ms jobs would measure that, not the schedule.
const QUEUE_MEAN_MS = Number(process.env.LLMATIC_QUEUE_MEAN_MS ?? 100);
const MEAN_MS = 20;

/** The candidate's evaluation time in ms: lognormal with mean `meanMs`, from its own stream (Box-Muller). */
export function delayOf(id, meanMs, sigma = SIGMA) {
  // mean = median * exp(sigma^2 / 2)
  const median = meanMs / Math.exp((sigma * sigma) / 2);
  const rng = Rng.derive(0, 'bench-delay', id);
  const u = Math.max(rng.float(), 1e-12);
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float()));
}

/** The oracle behind a delay; `busy` sums the wall time of every evaluation. */
export function delayedEvaluator(inner, meanMs) {
  const stats = { busyMs: 0, count: 0 };
  const evaluator = {
    name: `${inner.name}+lognormal-delay`,
    check: inner.check?.bind(inner),
    async evaluate(model, context) {
      const started = performance.now();
      await sleep(delayOf(context.candidateId, meanMs), undefined, { signal: context.signal });
      const result = await inner.evaluate(model, context);
      stats.busyMs += performance.now() - started;
      stats.count += 1;
      return result;
    },
  };
  return { evaluator, stats };
}

async function measure(schedule, strategy = llmatic(), queue = undefined, queueMeanMs = QUEUE_MEAN_MS) {
  const preset = nasBench201({ dataset: 'cifar10', table });
  await preset.evaluator.evaluate((await preset.space.compiler.compile(preset.space.seed)).model, { candidateId: 'warm' });
  const meanMs = queue ? queueMeanMs : MEAN_MS;
  const { evaluator, stats } = delayedEvaluator(preset.evaluator, meanMs);
  const dir = join(mkdtempSync(join(tmpdir(), 'llmatic-bench-steady-')), 'run');
  const config = resolveConfig({
    ...preset,
    evaluator,
    llm: instantProvider(),
    strategy,
    schedule,
    generations: 20,
    batchSize: 100,
    seed: 1,
    // Through a queue, a few jobs more than the workers' slots wait in Redis, so that a worker's
    // next job is there when it finishes one (the round trip would otherwise idle its slot).
    concurrency: { llm: 4, evaluations: queue ? SLOTS + QUEUED_AHEAD : SLOTS },
  });
  // Queue: 2 workers x 4 slots in this process (their evaluations are timers, so they do not
  // compete for the CPU), each job a round trip through Redis.
  const name = `bench-steady-${schedule}-${Date.now()}`;
  const workers = queue
    ? await Promise.all(
        [0, 1].map(() =>
          serveQueue({ pipeline: { space: config.space, evaluator, descriptors: config.descriptors }, settings: resolveQueueOptions({ connection: queue, queue: name }), concurrency: SLOTS / 2 }),
        ),
      )
    : [];
  const executor = queue ? queueExecutor({ connection: queue, queue: name }) : undefined;
  const runner = Runner.start(config, { dir, ...(executor ? { executor } : {}) });
  const started = performance.now();
  let summary;
  try {
    summary = await runner.execute();
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
  const runMs = performance.now() - started;
  rmSync(dirname(dir), { recursive: true, force: true });
  const ideal = stats.busyMs / SLOTS;
  return {
    evaluations: summary.evaluations,
    efficiency: { value: runMs / ideal, unit: 'x ideal', ...(schedule === 'steady-state' ? { target: { max: 1.1 } } : {}), reference: 'run time / (evaluation time / 8 slots)' },
    runTime: { value: runMs / 1000, unit: 's' },
    evaluationTime: { value: stats.busyMs / 1000, unit: 's', reference: `${stats.count} evaluations, lognormal sigma ${SIGMA}, mean ${meanMs} ms` },
    bestTestAccuracy: summary.best?.metrics.testAccuracy ?? null,
  };
}

/** Only the queue part: `LLMATIC_BENCH_PART=queue node bench/run.mjs steady-state`. */
export default async function run() {
  if (process.env.LLMATIC_BENCH_PART === 'queue') return { queue2Workersx4: await queued() };
  if (!existsSync(table)) return { skipped: `no NAS-Bench-201 table at ${table}` };
  return {
    // llmatic() plans in waves of 10: a generational wave waits for its slowest evaluation.
    inProcess8Slots: {
      generational: await measure('generational'),
      steadyState: await measure('steady-state'),
    },
    // The paper's preset plans whole generations of 100: only each generation's end idles.
    inProcess8SlotsPaperPreset: {
      generational: await measure('generational', llmatic({ preset: 'paper' })),
      steadyState: await measure('steady-state', llmatic({ preset: 'paper' })),
    },
    queue2Workersx4: hasRedis() ? await queued() : { skipped: 'redis-server is not installed' },
  };
}

async function queued() {
  const redis = await startRedis();
  try {
    return {
      generational: await measure('generational', llmatic(), redis.url),
      steadyState: await measure('steady-state', llmatic(), redis.url),
      // With 20 ms jobs the queue's own cost per job (coordinator and both workers share this
      // process's thread here) shows: the schedule is not what limits it.
      steadyStateMean20ms: await measure('steady-state', llmatic(), redis.url, 20),
    };
  } finally {
    await redis.stop();
  }
}
