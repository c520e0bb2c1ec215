import type { Rng } from '../rng/rng.js';

/** Points of [0, 1]^d stored row after row, sorted by their first coordinate. */
export interface SortedSamples {
  readonly data: Float64Array;
  readonly count: number;
  readonly dimensions: number;
}

/**
 * `count` uniform samples of [0, 1]^d drawn from `rng`, then sorted on the first axis (ties by
 * draw order) so that k-means++ can prune by that axis and Lloyd's passes read memory in order.
 */
export function drawSortedSamples(count: number, dimensions: number, rng: Rng): SortedSamples {
  const drawn = new Float64Array(count * dimensions);
  for (let i = 0; i < drawn.length; i++) drawn[i] = rng.float();
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => (drawn[a * dimensions] as number) - (drawn[b * dimensions] as number) || a - b);
  const data = new Float64Array(drawn.length);
  order.forEach((from, to) => {
    data.set(drawn.subarray(from * dimensions, (from + 1) * dimensions), to * dimensions);
  });
  return { data, count, dimensions };
}
