import type { Descriptor } from '@llmatic/core';
import type { TfjsModelSpec } from '../spec.js';

/**
 * SPEC's FLOPs bounds for CIFAR-10 (NAS-Bench-201's range): 200 MFLOPs to 5 GFLOPs. MNIST-sized
 * networks are far smaller; pass bounds that fit your data.
 */
export const DEFAULT_FLOPS_BOUNDS: readonly [number, number] = [200e6, 5e9];

/**
 * FLOPs per example, NAS-Bench-201 convention: multiply-accumulates of Conv2D, DepthwiseConv2D,
 * SeparableConv2D and Dense layers, plus one add per output element for their biases.
 * Normalisation, activations, pooling, additions and concatenations are not counted.
 */
export function flopsDescriptor(bounds: readonly [number, number] = DEFAULT_FLOPS_BOUNDS): Descriptor<TfjsModelSpec> {
  return { name: 'flops', label: 'FLOPs', bounds, compute: (model) => model.flops };
}
