import { Rng } from '../rng/rng.js';
import { seedCentroids } from './kmeans-plus-plus.js';
import { refineCentroids, type LloydReport } from './lloyd.js';
import { drawSortedSamples } from './samples.js';

/**
 * Version of the centroid algorithm. Part of every cache key: bump it whenever a change here
 * would give different centroids for the same (seed, niches, dimensions, samples).
 */
export const CENTROID_ALGORITHM_VERSION = 1;

/** Default number of uniform samples for k-means: the reference implementation's 25,000. */
export const DEFAULT_CENTROID_SAMPLES = 25_000;

/** What determines a set of CVT centroids. */
export interface CentroidSpec {
  dimensions: number;
  niches: number;
  seed: number;
  /** Uniform samples of [0, 1]^d that k-means clusters; at least `niches`. */
  samples: number;
}

/** Centroids in [0, 1]^d, row after row, and how k-means went. */
export interface ComputedCentroids {
  data: Float64Array;
  report: LloydReport;
}

/**
 * Computes CVT centroids: `samples` uniform points of [0, 1]^d, k-means++ seeding, then Lloyd's
 * iterations. All randomness comes from streams derived from `seed`, so one seed gives the same
 * centroids bit for bit.
 */
export function computeCentroids(spec: CentroidSpec): ComputedCentroids {
  const samples = drawSortedSamples(spec.samples, spec.dimensions, centroidStream(spec.seed, 'samples'));
  const data = seedCentroids(samples, spec.niches, centroidStream(spec.seed, 'kmeans++'));
  const report = refineCentroids(samples, data);
  return { data, report };
}

/**
 * The seed goes into the hashed path rather than into `Rng.derive`'s first argument, whose
 * mixing cancels out for single-digit seeds (derive(1, p) === derive(2, p)).
 */
function centroidStream(seed: number, purpose: string): Rng {
  return Rng.derive(0, 'cvt-centroids', seed, purpose);
}
