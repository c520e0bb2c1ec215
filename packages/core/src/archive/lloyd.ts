import { KdTree } from './kd-tree.js';
import type { SortedSamples } from './samples.js';

/** When Lloyd's iterations stop (scikit-learn's `KMeans` criterion, with a tighter default). */
export interface LloydOptions {
  /** Upper bound on iterations (default 300). */
  maxIterations?: number;
  /**
   * Stop once the summed squared movement of all centroids is at most
   * `tolerance * mean per-axis variance of the samples`. Default 1e-6: with scikit-learn's 1e-4,
   * Lloyd's method (slow in 1-D and at few niches) stops while cells still differ by up to 40%
   * in size; 1e-6 brings that to about 20% (20 niches in 1-D). Large archives stop earlier
   * anyway, when no sample changes centroid.
   */
  tolerance?: number;
}

/** What the refinement did. */
export interface LloydReport {
  iterations: number;
  /** True when assignments stopped changing or movement fell under the tolerance. */
  converged: boolean;
}

/**
 * Lloyd's k-means iterations, in place on `centroids`: assign each sample to its nearest centroid
 * (through a k-d tree, so a pass costs O(n log k) rather than O(n k)), then move each centroid to
 * the mean of its samples. A centroid that loses all its samples stays where it is.
 */
export function refineCentroids(
  samples: SortedSamples,
  centroids: Float64Array,
  options: LloydOptions = {},
): LloydReport {
  const { count, dimensions: d } = samples;
  const k = centroids.length / d;
  const maxIterations = options.maxIterations ?? 300;
  const threshold = (options.tolerance ?? 1e-6) * meanVariance(samples);
  const assignment = new Int32Array(count).fill(-1);
  const sums = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const changed = assign(samples, new KdTree(centroids, d), assignment);
    if (changed === 0) return { iterations: iteration, converged: true };
    accumulate(samples, assignment, sums, sizes);
    const movement = moveToMeans(centroids, sums, sizes, d);
    if (movement <= threshold) return { iterations: iteration, converged: true };
  }
  return { iterations: maxIterations, converged: false };
}

function assign(samples: SortedSamples, index: KdTree, assignment: Int32Array): number {
  const { data, count, dimensions: d } = samples;
  // One reused plain array: a subarray per sample costs more than the tree query itself.
  const point = new Array<number>(d).fill(0);
  let changed = 0;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < d; j++) point[j] = data[i * d + j] as number;
    const nearest = index.nearest(point);
    if (nearest !== assignment[i]) {
      assignment[i] = nearest;
      changed++;
    }
  }
  return changed;
}

function accumulate(samples: SortedSamples, assignment: Int32Array, sums: Float64Array, sizes: Int32Array): void {
  const { data, count, dimensions: d } = samples;
  sums.fill(0);
  sizes.fill(0);
  for (let i = 0; i < count; i++) {
    const c = assignment[i] as number;
    sizes[c] = (sizes[c] as number) + 1;
    for (let j = 0; j < d; j++) sums[c * d + j] = (sums[c * d + j] as number) + (data[i * d + j] as number);
  }
}

function moveToMeans(centroids: Float64Array, sums: Float64Array, sizes: Int32Array, d: number): number {
  let movement = 0;
  for (let c = 0; c < sizes.length; c++) {
    const size = sizes[c] as number;
    if (size === 0) continue;
    for (let j = 0; j < d; j++) {
      const mean = (sums[c * d + j] as number) / size;
      const step = mean - (centroids[c * d + j] as number);
      movement += step * step;
      centroids[c * d + j] = mean;
    }
  }
  return movement;
}

function meanVariance(samples: SortedSamples): number {
  const { data, count, dimensions: d } = samples;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < count; i++) mean += data[i * d + j] as number;
    mean /= count;
    let variance = 0;
    for (let i = 0; i < count; i++) variance += ((data[i * d + j] as number) - mean) ** 2;
    total += variance / count;
  }
  return total / d;
}
