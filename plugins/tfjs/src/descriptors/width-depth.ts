import type { Descriptor } from '@llmatic/core';
import { createLayerCatalogue } from '../layers/catalogue.js';
import type { TfjsModelSpec } from '../spec.js';

/** SPEC's bounds of the width-to-depth ratio. */
export const DEFAULT_WIDTH_DEPTH_BOUNDS: readonly [number, number] = [0, 200];

const rules = createLayerCatalogue().rules;

/**
 * The paper's width-to-depth ratio: the largest width of any layer divided by the number of
 * layers. Width is the output channels of Conv2D, DepthwiseConv2D and SeparableConv2D layers and
 * the units of Dense layers (other layers have none). Depth counts the layers that compute
 * something, as the reference implementation counted modules: convolutions, dense,
 * normalisation, dropout, activation and pooling layers. Input, Flatten, Reshape,
 * ZeroPadding2D, Add and Concatenate only move tensors and are not counted, and neither is an
 * activation fused into a conv or dense layer. The seed (conv, flatten, dense) has 10 / 2 = 5.
 */
export function widthToDepth(model: TfjsModelSpec): number {
  let width = 0;
  let depth = 0;
  for (const layer of model.layers) {
    const rule = rules[layer.className];
    if (!rule) continue;
    if (rule.countsAsDepth) depth += 1;
    if (rule.hasWidth) width = Math.max(width, layer.outputShape.at(-1) ?? 0);
  }
  return depth === 0 ? 0 : width / depth;
}

export function widthDepthDescriptor(
  bounds: readonly [number, number] = DEFAULT_WIDTH_DEPTH_BOUNDS,
): Descriptor<TfjsModelSpec> {
  return { name: 'width-depth', label: 'Width / depth', bounds, compute: (model) => widthToDepth(model) };
}
