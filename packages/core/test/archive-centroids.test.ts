import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { centroidCachePath } from '../src/archive/centroid-cache.js';
import { computeCentroids } from '../src/archive/centroids.js';
import { CVTArchive } from '../src/archive/cvt-archive.js';
import { KdTree } from '../src/archive/kd-tree.js';
import { seedCentroids } from '../src/archive/kmeans-plus-plus.js';
import { refineCentroids } from '../src/archive/lloyd.js';
import { drawSortedSamples, type SortedSamples } from '../src/archive/samples.js';
import { WeightedSampler } from '../src/archive/weighted-sampler.js';
import { Rng } from '../src/rng/rng.js';

function squaredDistance(a: ArrayLike<number>, aOffset: number, b: ArrayLike<number>, bOffset: number, d: number): number {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += ((a[aOffset + j] as number) - (b[bOffset + j] as number)) ** 2;
  return sum;
}

function bruteNearest(centroids: Float64Array, d: number, point: readonly number[]): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < centroids.length / d; c++) {
    const distance = squaredDistance(centroids, c * d, point, 0, d);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  return best;
}

/** Textbook k-means++ with an O(n) scan per draw, consuming `rng` exactly like the pruned one. */
function naiveSeeding(samples: SortedSamples, k: number, rng: Rng): Float64Array {
  const { data, count, dimensions: d } = samples;
  const centres = new Float64Array(k * d);
  const distances = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  for (let c = 0; c < k; c++) {
    let chosen: number;
    if (c === 0) {
      chosen = rng.int(0, count - 1);
    } else {
      const total = distances.reduce((a, b) => a + b, 0);
      let target = rng.float() * total;
      chosen = count - 1;
      for (let i = 0; i < count; i++) {
        target -= distances[i] as number;
        if (target < 0) {
          chosen = i;
          break;
        }
      }
    }
    centres.set(data.subarray(chosen * d, (chosen + 1) * d), c * d);
    for (let i = 0; i < count; i++) {
      distances[i] = Math.min(distances[i] as number, squaredDistance(data, i * d, centres, c * d, d));
    }
  }
  return centres;
}

describe('centroid determinism', () => {
  it('gives bit-identical centroids for the same seed', () => {
    const spec = { dimensions: 2, niches: 64, seed: 42, samples: 4_000 };
    expect(computeCentroids(spec).data).toEqual(computeCentroids(spec).data);
  });

  it('gives different centroids for different seeds, single-digit ones included', () => {
    const centroidsOf = (seed: number) => JSON.stringify(new CVTArchive({ bounds: [[0, 1], [0, 1]], niches: 16, seed, samples: 2_000 }).centroids);
    const seen = new Set([0, 1, 2, 3, 9, 10, 12345].map(centroidsOf));
    expect(seen.size).toBe(7);
  });

  it('keeps every centroid inside the unit cube', () => {
    const { data } = computeCentroids({ dimensions: 3, niches: 200, seed: 5, samples: 6_000 });
    expect(data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('k-means++ seeding', () => {
  it.each([1, 2, 3])('matches textbook k-means++ exactly in %i-D despite its pruning', (d) => {
    const samples = drawSortedSamples(3_000, d, Rng.derive(3, 'samples', d));
    const pruned = seedCentroids(samples, 120, Rng.derive(3, 'seed', d));
    const naive = naiveSeeding(samples, 120, Rng.derive(3, 'seed', d));
    expect(pruned).toEqual(naive);
  });

  it('picks distinct samples as centres', () => {
    const samples = drawSortedSamples(500, 2, Rng.derive(4, 'samples'));
    const centres = seedCentroids(samples, 500, Rng.derive(4, 'seed'));
    const keys = new Set<string>();
    for (let c = 0; c < 500; c++) keys.add(`${centres[2 * c]},${centres[2 * c + 1]}`);
    expect(keys.size).toBe(500);
  });
});

describe("Lloyd's refinement", () => {
  it('ends with each centroid at the mean of the samples nearest to it', () => {
    const d = 2;
    const samples = drawSortedSamples(5_000, d, Rng.derive(6, 'samples'));
    const centroids = seedCentroids(samples, 50, Rng.derive(6, 'seed'));
    const report = refineCentroids(samples, centroids, { tolerance: 0 });
    expect(report.converged).toBe(true);
    const sums = new Float64Array(50 * d);
    const sizes = new Array<number>(50).fill(0);
    for (let i = 0; i < samples.count; i++) {
      const point = Array.from(samples.data.subarray(i * d, (i + 1) * d));
      const c = bruteNearest(centroids, d, point);
      sizes[c] = (sizes[c] as number) + 1;
      point.forEach((v, j) => (sums[c * d + j] = (sums[c * d + j] as number) + v));
    }
    for (let c = 0; c < 50; c++) {
      for (let j = 0; j < d; j++) expect(centroids[c * d + j]).toBeCloseTo((sums[c * d + j] as number) / (sizes[c] as number), 12);
    }
  });

  it('divides the square into cells of similar size', () => {
    const archive = new CVTArchive({ bounds: [[0, 1], [0, 1]], niches: 100, seed: 21 });
    const counts = new Array<number>(100).fill(0);
    const rng = Rng.derive(21, 'probe');
    const probes = 200_000;
    for (let i = 0; i < probes; i++) {
      const niche = archive.nicheOf([rng.float(), rng.float()]);
      counts[niche] = (counts[niche] as number) + 1;
    }
    const shares = counts.map((c) => (c * 100) / probes);
    expect(Math.min(...shares)).toBeGreaterThan(0.5);
    expect(Math.max(...shares)).toBeLessThan(1.6);
  });
});

describe('KdTree', () => {
  it.each([1, 2, 3, 5])('finds the same nearest point as a linear scan in %i-D', (d) => {
    const rng = Rng.derive(8, 'index', d);
    for (const count of [1, 7, 9, 300]) {
      const points = Float64Array.from({ length: count * d }, () => rng.float());
      const tree = new KdTree(points, d);
      for (let i = 0; i < 1_000; i++) {
        const query = Array.from({ length: d }, () => rng.uniform(-0.1, 1.1));
        expect(tree.nearest(query)).toBe(bruteNearest(points, d, query));
      }
    }
  });

  it('stays exact when trees of different dimensions are used in turn', () => {
    // @thi.ng/geom-accel's KdTreeMap fails this: it shares one scratch vector between trees.
    const rng = Rng.derive(9, 'mixed');
    const make = (d: number) => {
      const points = Float64Array.from({ length: 200 * d }, () => rng.float());
      return { d, points, tree: new KdTree(points, d) };
    };
    const trees = [make(3), make(2), make(5), make(1)];
    for (let i = 0; i < 500; i++) {
      for (const { d, points, tree } of trees) {
        const query = Array.from({ length: d }, () => rng.float());
        expect(tree.nearest(query)).toBe(bruteNearest(points, d, query));
      }
    }
  });

  it('breaks distance ties by the lowest id, whatever the split', () => {
    // A grid: many queries sit exactly between points.
    const points = Float64Array.from({ length: 2 * 100 }, (_, i) => (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));
    const tree = new KdTree(points, 2);
    for (let x = -0.5; x <= 9.5; x += 0.5) {
      for (let y = -0.5; y <= 9.5; y += 0.5) expect(tree.nearest([x, y])).toBe(bruteNearest(points, 2, [x, y]));
    }
    const duplicates = new Float64Array(40).fill(0.5);
    expect(new KdTree(duplicates, 2).nearest([0.1, 0.9])).toBe(0);
  });

  it('rejects a point array that does not divide into points', () => {
    expect(() => new KdTree(new Float64Array(5), 2)).toThrow(/whole, non-zero number of 2-D points/);
    expect(() => new KdTree(new Float64Array(0), 2)).toThrow(/whole, non-zero/);
  });
});

describe('WeightedSampler', () => {
  it('finds the first index whose running sum exceeds the target, after updates too', () => {
    const weights = Float64Array.from([0.5, 0, 2, 1.5, 0, 3, 0.25]);
    const sampler = new WeightedSampler(weights);
    sampler.set(1, 1); // weights now 0.5, 1, 2, 1.5, 0, 3, 0.25
    sampler.set(5, 0.5); // weights now 0.5, 1, 2, 1.5, 0, 0.5, 0.25
    expect(sampler.total()).toBeCloseTo(5.75, 12);
    const linear = (target: number) => {
      let rest = target;
      for (let i = 0; i < weights.length; i++) {
        rest -= weights[i] as number;
        if (rest < 0) return i;
      }
      return weights.length - 1;
    };
    for (let target = 0; target < 5.75; target += 0.01) expect(sampler.find(target)).toBe(linear(target));
  });
});

describe('centroid cache', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmatic-cvt-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const options = { bounds: [[0, 1], [0, 5]] as [number, number][], niches: 30, seed: 77, samples: 3_000 };

  it('computes once, then reads the same centroids from disk', () => {
    const cacheDir = tempDir();
    const first = new CVTArchive({ ...options, cacheDir });
    const second = new CVTArchive({ ...options, cacheDir });
    expect(first.centroidOrigin).toBe('computed');
    expect(second.centroidOrigin).toBe('cache');
    expect(second.centroids).toEqual(first.centroids);
    expect(new CVTArchive(options).centroids).toEqual(first.centroids);
  });

  it('keys files by seed, niches, dimensions and samples', () => {
    const cacheDir = tempDir();
    new CVTArchive({ ...options, cacheDir });
    expect(new CVTArchive({ ...options, seed: 78, cacheDir }).centroidOrigin).toBe('computed');
    expect(new CVTArchive({ ...options, niches: 31, cacheDir }).centroidOrigin).toBe('computed');
    expect(new CVTArchive({ ...options, samples: 3_001, cacheDir }).centroidOrigin).toBe('computed');
    expect(new CVTArchive({ ...options, bounds: [[0, 1], [0, 1], [0, 1]], cacheDir }).centroidOrigin).toBe('computed');
    expect(readdirSync(cacheDir)).toHaveLength(5);
    expect(new CVTArchive({ ...options, bounds: [[5, 6], [-1, 1]], cacheDir }).centroidOrigin).toBe('cache');
  });

  it('recomputes and replaces a corrupt or mismatching file', () => {
    const cacheDir = tempDir();
    const expected = new CVTArchive({ ...options, cacheDir }).centroids;
    const path = centroidCachePath(cacheDir, { dimensions: 2, niches: 30, seed: 77, samples: 3_000 });
    writeFileSync(path, '{"algorithm": 1, "centroids": [[0.5');
    const afterCorruption = new CVTArchive({ ...options, cacheDir });
    expect(afterCorruption.centroidOrigin).toBe('computed');
    expect(afterCorruption.centroids).toEqual(expected);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { centroids: number[][] };
    writeFileSync(path, JSON.stringify({ ...file, centroids: file.centroids.slice(1) }));
    expect(new CVTArchive({ ...options, cacheDir }).centroidOrigin).toBe('computed');
    expect(new CVTArchive({ ...options, cacheDir }).centroidOrigin).toBe('cache');
  });
});
