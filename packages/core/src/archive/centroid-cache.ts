import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CENTROID_ALGORITHM_VERSION, computeCentroids, type CentroidSpec } from './centroids.js';

/** Where a set of centroids came from. */
export type CentroidOrigin = 'computed' | 'cache' | 'given';

const cachedCentroidsSchema = z.object({
  algorithm: z.literal(CENTROID_ALGORITHM_VERSION),
  dimensions: z.number().int(),
  niches: z.number().int(),
  seed: z.number(),
  samples: z.number().int(),
  centroids: z.array(z.array(z.number())),
});

/** The cache file for a spec: every input that changes the centroids is in the name. */
export function centroidCachePath(cacheDir: string, spec: CentroidSpec): string {
  const name = `cvt-v${CENTROID_ALGORITHM_VERSION}-d${spec.dimensions}-k${spec.niches}-n${spec.samples}-s${spec.seed}.json`;
  return join(cacheDir, name);
}

/**
 * Centroids for `spec`, read from `cacheDir` when a matching file is there, else computed and
 * written there. An unreadable or mismatching file is recomputed and replaced, never trusted.
 */
export function loadOrComputeCentroids(
  spec: CentroidSpec,
  cacheDir: string | undefined,
): { data: Float64Array; origin: CentroidOrigin } {
  if (cacheDir === undefined) return { data: computeCentroids(spec).data, origin: 'computed' };
  const path = centroidCachePath(cacheDir, spec);
  const cached = readCache(path, spec);
  if (cached) return { data: cached, origin: 'cache' };
  const { data } = computeCentroids(spec);
  writeCache(cacheDir, path, spec, data);
  return { data, origin: 'computed' };
}

function readCache(path: string, spec: CentroidSpec): Float64Array | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // missing or unreadable: recompute
  }
  const parsed = cachedCentroidsSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const file = parsed.data;
  const matches =
    file.dimensions === spec.dimensions &&
    file.niches === spec.niches &&
    file.seed === spec.seed &&
    file.samples === spec.samples &&
    file.centroids.length === spec.niches &&
    file.centroids.every((row) => row.length === spec.dimensions);
  return matches ? Float64Array.from(file.centroids.flat()) : undefined;
}

function writeCache(cacheDir: string, path: string, spec: CentroidSpec, data: Float64Array): void {
  mkdirSync(cacheDir, { recursive: true });
  const centroids = Array.from({ length: spec.niches }, (_, c) =>
    Array.from(data.subarray(c * spec.dimensions, (c + 1) * spec.dimensions)),
  );
  const body = JSON.stringify({ algorithm: CENTROID_ALGORITHM_VERSION, ...spec, centroids });
  // Write then rename, so that a concurrent reader never sees half a file.
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, body);
  renameSync(partial, path);
}
