// Queue executor overhead (@llmatic/executor-queue). Needs the built packages and redis-server
// (skipped without it); starts its own Redis on a free loopback port.
// Measures one job at a time (round trip through Redis and a worker) and throughput with 32 jobs
// in flight, for an instant evaluator with no artifact and with a 1 MB artifact.
import { InProcessExecutor } from '@llmatic/core';
import { queueExecutor, resolveQueueOptions, serveQueue } from '@llmatic/executor-queue';
import { hasRedis, startRedis } from './support/redis-server.mjs';

function pipeline(artifactBytes) {
  const descriptors = [{ name: 'v', bounds: [0, 1], compute: (m) => m.v }];
  const space = {
    name: 'bench',
    language: 'number',
    seed: '0',
    prompts: {},
    extract: (reply) => ({ ok: true, code: reply }),
    compiler: { language: 'number', compile: async (code) => ({ ok: true, model: { v: Number(code) } }) },
    descriptors,
  };
  const data = new Uint8Array(artifactBytes);
  const evaluator = {
    name: 'instant',
    evaluate: async (m) => ({ ok: true, fitness: m.v, metrics: { v: m.v }, ...(artifactBytes > 0 ? { artifacts: [{ name: 'w.bin', data }] } : {}) }),
  };
  return { space, evaluator, descriptors };
}

async function measure(url, queue, artifactBytes) {
  const worker = await serveQueue({ pipeline: pipeline(artifactBytes), settings: resolveQueueOptions({ connection: url, queue }), concurrency: 16 });
  const executor = queueExecutor({ connection: url, queue });
  try {
    await executor.run({ candidateId: 'warm-up', code: '0.5' });
    const single = 100;
    let started = performance.now();
    for (let i = 0; i < single; i++) await executor.run({ candidateId: `one-${i}`, code: String(i / single) });
    const roundTripMs = (performance.now() - started) / single;
    const total = artifactBytes > 0 ? 500 : 2000;
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const i = next++;
          await executor.run({ candidateId: `many-${i}`, code: String(i / total) });
        }
      }),
    );
    const jobsPerSecond = total / ((performance.now() - started) / 1000);
    return {
      roundTrip: { value: Number(roundTripMs.toFixed(2)), unit: 'ms/job' },
      throughput32InFlight: { value: Math.round(jobsPerSecond), unit: 'jobs/s' },
    };
  } finally {
    await executor.close();
    await worker.stop();
  }
}

export default async function run() {
  if (!hasRedis()) return { skipped: 'redis-server is not installed' };
  const redis = await startRedis();
  try {
    const inProcess = new InProcessExecutor(pipeline(0));
    const started = performance.now();
    for (let i = 0; i < 1000; i++) await inProcess.run({ candidateId: `in-${i}`, code: '1' });
    return {
      inProcessRoundTrip: { value: Number(((performance.now() - started) / 1000).toFixed(4)), unit: 'ms/job' },
      noArtifact: await measure(redis.url, 'bench-plain', 0),
      artifact1MB: await measure(redis.url, 'bench-1mb', 1_000_000),
    };
  } finally {
    await redis.stop();
  }
}
