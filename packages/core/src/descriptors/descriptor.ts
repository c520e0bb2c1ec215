import type { Metrics } from '../evaluation/evaluator.js';

/**
 * A behaviour descriptor: one axis of an archive. Values are normalised to [0, 1] by `bounds`
 * before a niche is chosen; values outside are clipped (and counted by the archive).
 */
export interface Descriptor<M> {
  /** Machine name, e.g. `flops`. */
  readonly name: string;
  /** Axis label for reports, e.g. `FLOPs (M)`. */
  readonly label?: string;
  readonly bounds: readonly [number, number];
  /** Computes the raw (unnormalised) value from a compiled model and its metrics. */
  compute(model: M, metrics: Metrics): number;
}
