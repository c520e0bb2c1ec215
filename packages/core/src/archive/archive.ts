import type { Rng } from '../rng/rng.js';

/** An occupant of a niche. `descriptors` are raw values; `normalized` are in [0, 1]. */
export interface Elite<T> {
  niche: number;
  descriptors: number[];
  normalized: number[];
  fitness: number;
  payload: T;
}

/** What `add()` did, as in pyribs: a new niche filled, an elite improved, or nothing. */
export type AddStatus = 'new' | 'improved' | 'rejected';

export interface AddResult<T> {
  status: AddStatus;
  niche: number;
  /** The elite that was replaced (improved) or that beat the candidate (rejected). */
  incumbent?: Elite<T>;
  /** True when a descriptor lay outside its bounds and was clipped. */
  clipped: boolean;
}

/** A quality-diversity archive over bounded descriptors. */
export interface Archive<T> {
  readonly dimensions: number;
  readonly niches: number;
  readonly bounds: readonly (readonly [number, number])[];
  /** Offers a solution; keeps it when its niche is empty or it beats the elite there. */
  add(descriptors: readonly number[], fitness: number, payload: T): AddResult<T>;
  /** The niche a raw descriptor vector falls in (after normalisation and clipping). */
  nicheOf(descriptors: readonly number[]): number;
  get(niche: number): Elite<T> | undefined;
  elites(): Elite<T>[];
  readonly size: number;
  /** Fraction of niches filled, in [0, 1]. */
  readonly coverage: number;
  /** Sum over elites of (fitness - offset); `offset` is fixed at construction (default 0). */
  readonly qdScore: number;
  best(): Elite<T> | undefined;
  /** A uniformly random elite. */
  sample(rng: Rng): Elite<T> | undefined;
  /** The `k` elites nearest to `descriptors` in normalised descriptor space. */
  nearest(descriptors: readonly number[], k: number, exclude?: number): Elite<T>[];
  /** How many offered descriptor values were clipped to the bounds so far. */
  readonly clippedCount: number;
  /** Replaces the payload of an elite in place (e.g. a prompt individual's curiosity). */
  update(niche: number, change: (elite: Elite<T>) => Elite<T>): void;
}
