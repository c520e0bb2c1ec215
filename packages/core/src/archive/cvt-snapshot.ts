import { z } from 'zod';
import type { Elite } from './archive.js';

/** Running totals of a {@link CVTArchive}, kept across save and restore. */
export interface CVTArchiveCounters {
  /** Calls to `add()`. */
  offered: number;
  /** Offers that filled an empty niche. */
  new: number;
  /** Offers that replaced a worse elite. */
  improved: number;
  /** Offers that lost to (or tied with) the elite of their niche. */
  rejected: number;
  /** Descriptor values that lay outside their bounds and were clipped. */
  clipped: number;
}

/**
 * Everything a {@link CVTArchive} holds, as plain JSON (when the payloads are plain JSON).
 * `elites` are in the order their niches were first filled, which is the order `sample()` draws
 * from, so a restored archive samples exactly as the saved one would have.
 */
export interface CVTArchiveSnapshot<T> {
  format: 'llmatic/cvt-archive';
  version: 1;
  bounds: [number, number][];
  niches: number;
  seed: number;
  samples: number;
  qdOffset: number;
  /** In normalised [0, 1]^d space, one per niche. */
  centroids: number[][];
  elites: Elite<T>[];
  counters: CVTArchiveCounters;
}

const count = z.number().int().nonnegative();

/** Checks the shape of a snapshot read from outside (a file, a database). */
export const cvtArchiveSnapshotSchema = z.object({
  format: z.literal('llmatic/cvt-archive'),
  version: z.literal(1),
  bounds: z.array(z.tuple([z.number(), z.number()])).min(1),
  niches: z.number().int().positive(),
  seed: z.number().int(),
  samples: z.number().int().positive(),
  qdOffset: z.number(),
  centroids: z.array(z.array(z.number())),
  elites: z.array(
    z.object({
      niche: count,
      descriptors: z.array(z.number()),
      normalized: z.array(z.number()),
      fitness: z.number(),
      payload: z.unknown(),
    }),
  ),
  counters: z.object({ offered: count, new: count, improved: count, rejected: count, clipped: count }),
});
