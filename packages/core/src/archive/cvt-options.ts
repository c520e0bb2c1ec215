import { DEFAULT_CENTROID_SAMPLES } from './centroids.js';
import { checkBounds, type DescriptorBounds } from './normalise.js';

/** Largest number of niches a {@link CVTArchive} accepts. */
export const MAX_NICHES = 10_000;

/** Options of a {@link CVTArchive}. */
export interface CVTArchiveOptions {
  /** One `[low, high]` per descriptor, `low < high`; descriptors are normalised by these. */
  bounds: DescriptorBounds;
  /** Number of niches (centroids), 1..10,000. */
  niches: number;
  /** Seed of the centroids (an integer): the same seed gives the same centroids. */
  seed: number;
  /**
   * Uniform samples of [0, 1]^d clustered by k-means. Default `max(25,000, 5 * niches)`: the
   * reference's 25,000 up to 5,000 niches, then 5 samples per niche so that each centroid is
   * a mean of several points (50,000 at 10,000 niches, under a second in 2-D). At least `niches`.
   */
  samples?: number;
  /** Precomputed centroids in normalised [0, 1]^d space, one per niche; skips k-means. */
  centroids?: readonly (readonly number[])[];
  /** Subtracted from each elite's fitness in {@link CVTArchive.qdScore} (default 0). */
  qdOffset?: number;
  /** Folder in which computed centroids are cached, keyed by (seed, niches, dimensions, samples). */
  cacheDir?: string;
}

/** Options after checking, with defaults filled in. */
export interface ResolvedCVTOptions {
  bounds: [number, number][];
  niches: number;
  seed: number;
  samples: number;
  centroids?: Float64Array;
  qdOffset: number;
  cacheDir?: string;
}

/** Default sample count for `niches` (see {@link CVTArchiveOptions.samples}). */
export function defaultSamples(niches: number): number {
  return Math.max(DEFAULT_CENTROID_SAMPLES, 5 * niches);
}

/** Checks options and fills defaults. Throws a RangeError naming the bad option and the fix. */
export function resolveCVTOptions(options: CVTArchiveOptions): ResolvedCVTOptions {
  const bounds = checkBounds(options.bounds, 'CVTArchive');
  const { niches, seed } = options;
  if (!Number.isInteger(niches) || niches < 1 || niches > MAX_NICHES) {
    throw new RangeError(`CVTArchive: niches must be an integer from 1 to ${MAX_NICHES}, got ${String(niches)}`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`CVTArchive: seed must be an integer, got ${String(seed)}`);
  }
  const samples = options.samples ?? defaultSamples(niches);
  if (!Number.isInteger(samples) || samples < niches) {
    throw new RangeError(
      `CVTArchive: samples must be an integer >= niches (${niches}), got ${String(samples)}; k-means needs at least one sample per niche`,
    );
  }
  const qdOffset = options.qdOffset ?? 0;
  if (!Number.isFinite(qdOffset)) throw new RangeError(`CVTArchive: qdOffset must be finite, got ${String(qdOffset)}`);
  const resolved: ResolvedCVTOptions = { bounds, niches, seed, samples, qdOffset };
  if (options.centroids !== undefined) resolved.centroids = checkCentroids(options.centroids, niches, bounds.length);
  if (options.cacheDir !== undefined) resolved.cacheDir = options.cacheDir;
  return resolved;
}

function checkCentroids(centroids: readonly (readonly number[])[], niches: number, dimensions: number): Float64Array {
  if (centroids.length !== niches) {
    throw new RangeError(`CVTArchive: got ${centroids.length} centroids for ${niches} niches; give one centroid per niche`);
  }
  const data = new Float64Array(niches * dimensions);
  centroids.forEach((row, c) => {
    if (row.length !== dimensions) {
      throw new RangeError(`CVTArchive: centroid ${c} has ${row.length} values; expected ${dimensions}, one per bound`);
    }
    row.forEach((value, j) => {
      if (!(value >= 0 && value <= 1)) {
        throw new RangeError(
          `CVTArchive: centroid ${c} value ${j} is ${String(value)}; centroids live in normalised [0, 1] space, not in raw descriptor units`,
        );
      }
      data[c * dimensions + j] = value;
    });
  });
  return data;
}
