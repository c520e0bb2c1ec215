// CVT archive costs: centroid construction (cold, no cache), a single add(), nicheOf().
// Reference figures are pyribs' CVTArchive on the reference machine, as given in the brief.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@llmatic/core';

const { CVTArchive, Rng } = core;

// The network archive of the paper: width-to-depth ratio and FLOPs.
const BOUNDS = [
  [0, 200],
  [2e8, 5e9],
];
const BATCH = 100;

function requireArchive() {
  if (typeof CVTArchive !== 'function') {
    throw new Error(
      "@llmatic/core does not export CVTArchive: add `export * from './archive/cvt-archive.js';` to packages/core/src/index.ts and rebuild",
    );
  }
}

function collect() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall time of `make()` in milliseconds, median of `runs` cold runs. */
function timeConstruction(make, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    collect();
    const started = performance.now();
    make(i);
    times.push(performance.now() - started);
  }
  return { median: median(times), runs: times.map((t) => Math.round(t)) };
}

function randomDescriptors(count, seed) {
  const rng = Rng.derive(seed, 'bench', 'descriptors');
  return Array.from({ length: count }, () => [rng.uniform(0, 200), rng.uniform(2e8, 5e9)]);
}

/** Microseconds per call: median over `batches` batches of BATCH single calls of `call(i)`. */
function timePerCall(call, batches) {
  const perCall = [];
  let i = 0;
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    for (let k = 0; k < BATCH; k++) call(i++);
    perCall.push(((performance.now() - started) * 1000) / BATCH);
  }
  return median(perCall);
}

function measureAdd(niches) {
  const archive = new CVTArchive({ bounds: BOUNDS, niches, seed: 1 });
  const points = randomDescriptors(50_000, niches);
  const fitness = Rng.derive(niches, 'bench', 'fitness');
  const scores = points.map(() => fitness.float());
  // Warm up (JIT) and fill most niches, so timed adds mix new, improved and rejected.
  for (let i = 0; i < points.length; i++) archive.add(points[i], scores[i], i);
  collect();
  const n = points.length;
  const add = timePerCall((i) => archive.add(points[i % n], scores[(i * 7) % n], i), 2_000);
  const nicheOf = timePerCall((i) => archive.nicheOf(points[i % n]), 2_000);
  return { add, nicheOf, coverage: archive.coverage, samples: archive.samples };
}

function measureCentroids(niches, samples, runs) {
  // A new seed per run: nothing is cached in memory, and no cacheDir is given.
  return timeConstruction((i) => new CVTArchive({ bounds: BOUNDS, niches, seed: 1_000 + i, ...(samples ? { samples } : {}) }), runs);
}

function measureCachedLoad(niches) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'llmatic-bench-cvt-'));
  try {
    new CVTArchive({ bounds: BOUNDS, niches, seed: 5, cacheDir });
    return timeConstruction(() => new CVTArchive({ bounds: BOUNDS, niches, seed: 5, cacheDir }), 3);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const us = (value, max, reference) => ({ value: Number(value.toFixed(3)), unit: 'us', ...(max ? { target: { max } } : {}), ...(reference ? { reference } : {}) });
const ms = (value, max, reference) => ({ value: Math.round(value), unit: 'ms', ...(max ? { target: { max } } : {}), ...(reference ? { reference } : {}) });

export default async function run() {
  requireArchive();
  const small = measureAdd(100);
  const large = measureAdd(10_000);
  const centroids100 = measureCentroids(100, undefined, 3);
  const centroids10k = measureCentroids(10_000, undefined, 3);
  const centroids10k100kSamples = measureCentroids(10_000, 100_000, 1);
  const cached10k = measureCachedLoad(10_000);
  return {
    setup: {
      dimensions: 2,
      addTiming: `median over 2,000 batches of ${BATCH} single add() calls, archive pre-filled with 50,000 offers`,
      samples100: small.samples,
      samples10000: large.samples,
    },
    add: {
      niches100: us(small.add, 10),
      niches10000: us(large.add, 10, 'pyribs 81 us'),
    },
    nicheOf: {
      niches100: us(small.nicheOf, 10),
      niches10000: us(large.nicheOf, 10),
    },
    centroids: {
      niches100: ms(centroids100.median, 5_000),
      niches10000: ms(centroids10k.median, 5_000, 'pyribs 14-16 s'),
      niches10000Samples100k: ms(centroids10k100kSamples.median, undefined, 'pyribs default samples'),
      niches10000FromCache: ms(cached10k.median, 500),
      runs: { niches100: centroids100.runs, niches10000: centroids10k.runs },
    },
    coverageAfter50kOffers: { niches100: small.coverage, niches10000: large.coverage },
  };
}
