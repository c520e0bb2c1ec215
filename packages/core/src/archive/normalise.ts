/** One `[low, high]` pair per descriptor dimension, with `low < high`. */
export type DescriptorBounds = readonly (readonly [number, number])[];

/** A descriptor vector mapped into the unit cube, and how many of its values were clipped. */
export interface NormalisedDescriptors {
  values: number[];
  clipped: number;
}

/**
 * Checks and copies descriptor bounds. Throws a RangeError that names the bad dimension.
 * @param owner - prefix for error messages, e.g. `CVTArchive`.
 */
export function checkBounds(bounds: unknown, owner: string): [number, number][] {
  if (!Array.isArray(bounds) || bounds.length === 0) {
    throw new RangeError(
      `${owner}: bounds must be a non-empty array with one [low, high] pair per descriptor, e.g. [[0, 200], [2e8, 5e9]]`,
    );
  }
  return bounds.map((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new RangeError(`${owner}: bounds[${i}] must be a [low, high] pair, got ${JSON.stringify(pair)}`);
    }
    const [low, high] = pair as [unknown, unknown];
    if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) {
      throw new RangeError(`${owner}: bounds[${i}] must hold two finite numbers, got ${JSON.stringify(pair)}`);
    }
    if (!(low < high)) {
      throw new RangeError(
        `${owner}: bounds[${i}] has low >= high (${low} >= ${high}); give the smaller value first and make the range non-empty`,
      );
    }
    return [low, high];
  });
}

/**
 * Checks that `descriptors` has one finite number per dimension. Throws a RangeError otherwise.
 * @param owner - prefix for error messages, e.g. `CVTArchive.add`.
 */
export function checkDescriptors(descriptors: readonly number[], dimensions: number, owner: string): void {
  if (descriptors.length !== dimensions) {
    throw new RangeError(
      `${owner}: expected ${dimensions} descriptor value(s), one per bound, got ${descriptors.length} ([${descriptors.join(', ')}])`,
    );
  }
  for (let i = 0; i < dimensions; i++) {
    const value = descriptors[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`${owner}: descriptor ${i} must be a finite number, got ${String(value)}`);
    }
  }
}

/**
 * Maps raw descriptors into [0, 1]^d by the declared bounds, clipping values that fall outside.
 * Centroids live in the unit cube, so raw values must never be compared with them directly.
 */
export function normalise(descriptors: readonly number[], bounds: DescriptorBounds): NormalisedDescriptors {
  const values = new Array<number>(bounds.length);
  let clipped = 0;
  for (let i = 0; i < bounds.length; i++) {
    const [low, high] = bounds[i] as readonly [number, number];
    const t = ((descriptors[i] as number) - low) / (high - low);
    if (t < 0) {
      values[i] = 0;
      clipped++;
    } else if (t > 1) {
      values[i] = 1;
      clipped++;
    } else {
      values[i] = t;
    }
  }
  return { values, clipped };
}
