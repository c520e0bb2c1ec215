import type { Descriptor } from '@llmatic/core';
import type { TfjsModelSpec } from '../spec.js';

/** Default bounds of the parameter-count descriptor: up to the compiler's default cap. */
export const DEFAULT_PARAMS_BOUNDS: readonly [number, number] = [0, 20_000_000];

/** Number of weights, trainable or not, as tfjs `model.countParams()`. */
export function paramsDescriptor(bounds: readonly [number, number] = DEFAULT_PARAMS_BOUNDS): Descriptor<TfjsModelSpec> {
  return { name: 'params', label: 'Parameters', bounds, compute: (model) => model.params };
}
