import type { Rng } from '../rng/rng.js';
import type { SortedSamples } from './samples.js';
import { WeightedSampler } from './weighted-sampler.js';


/** How often (in centres) the bound on the largest squared distance is recomputed exactly. */
const BOUND_REFRESH = 32;
/** How often (in centres) the prefix sums are rebuilt to shed floating-point drift. */
const SUM_REFRESH = 256;

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre is a uniform sample, each next
 * one a sample drawn with probability proportional to its squared distance to the nearest centre
 * so far. Exact, but pruned: samples are sorted on the first axis, and a sample further than
 * sqrt(max distance) from the new centre along that axis cannot get closer to it, so only a
 * window around the centre is visited. In 2-D this turns the O(n * k) distance updates into
 * roughly O(n * sqrt(k)), which is what makes 10,000 niches fast; the window narrows less as
 * dimensions grow.
 *
 * @returns `k` centres, row after row.
 */
export function seedCentroids(samples: SortedSamples, k: number, rng: Rng): Float64Array {
  const { data, count, dimensions: d } = samples;
  const centres = new Float64Array(k * d);
  const distances = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  let sampler: WeightedSampler | undefined;
  let bound = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const chosen = sampler === undefined ? rng.int(0, count - 1) : drawProportional(sampler, rng);
    centres.set(data.subarray(chosen * d, (chosen + 1) * d), c * d);
    if (sampler === undefined) {
      assignAll(samples, centres.subarray(0, d), distances);
      sampler = new WeightedSampler(distances);
    } else {
      shrinkDistances(samples, centres.subarray(c * d, (c + 1) * d), chosen, bound, sampler);
    }
    if (c % BOUND_REFRESH === 0) bound = maxOf(distances);
    if (c % SUM_REFRESH === SUM_REFRESH - 1) sampler.rebuild();
  }
  return centres;
}

function drawProportional(sampler: WeightedSampler, rng: Rng): number {
  for (let attempt = 0; attempt < 2; attempt++) {
    const total = sampler.total();
    if (!(total > 0)) break;
    const index = sampler.find(rng.float() * total);
    if ((sampler.weights[index] as number) > 0) return index;
    // Only rounding drift in the prefix sums can select a zero-weight sample: rebuild and retry.
    sampler.rebuild();
  }
  throw new RangeError(
    'CVT centroids: every sample already coincides with a centre; use more samples than niches',
  );
}

function assignAll(samples: SortedSamples, centre: Float64Array, distances: Float64Array): void {
  for (let i = 0; i < samples.count; i++) distances[i] = squaredDistance(samples, i, centre);
}

function shrinkDistances(
  samples: SortedSamples,
  centre: Float64Array,
  origin: number,
  bound: number,
  sampler: WeightedSampler,
): void {
  const { data, count, dimensions: d } = samples;
  const axis = centre[0] as number;
  const weights = sampler.weights;
  for (let i = origin; i >= 0; i--) {
    const gap = (data[i * d] as number) - axis;
    if (gap * gap >= bound) break;
    const s = squaredDistance(samples, i, centre);
    if (s < (weights[i] as number)) sampler.set(i, s);
  }
  for (let i = origin + 1; i < count; i++) {
    const gap = (data[i * d] as number) - axis;
    if (gap * gap >= bound) break;
    const s = squaredDistance(samples, i, centre);
    if (s < (weights[i] as number)) sampler.set(i, s);
  }
}

function squaredDistance(samples: SortedSamples, index: number, centre: Float64Array): number {
  const { data, dimensions: d } = samples;
  const offset = index * d;
  let sum = 0;
  for (let j = 0; j < d; j++) {
    const t = (data[offset + j] as number) - (centre[j] as number);
    sum += t * t;
  }
  return sum;
}

function maxOf(values: Float64Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number;
  return max;
}
