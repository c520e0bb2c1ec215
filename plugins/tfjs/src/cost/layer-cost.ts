import type { LayerConfig, Shape } from '../layers/catalogue.js';

/** What one layer costs in training, per example. */
export interface LayerCost {
  /** float32 values the forward pass keeps alive for the backward pass (outputs, masks, pre-activations). */
  activationValues: number;
  /** Operations of the forward pass: multiply-accumulates, compares, adds, copies. */
  forwardOps: number;
  /** Operations of the backward pass (input and weight gradients). */
  backwardOps: number;
}

/** Inputs to a layer's cost: what the validator already derived for it. */
export interface LayerFacts {
  className: string;
  config: LayerConfig;
  inputs: Shape[];
  output: Shape;
  /** Forward FLOPs of the NAS-Bench-201 convention (MACs + bias adds of conv and dense, else 0). */
  flops: number;
}

function size(shape: Shape): number {
  return shape.reduce((acc, dim) => acc * dim, 1);
}

/** Operations per value of an activation function (relu-like 1, transcendental ones more). */
function activationOps(name: unknown): number {
  if (name === undefined || name === null || name === 'linear') return 0;
  if (name === 'relu' || name === 'relu6') return 1;
  if (name === 'softmax') return 5;
  return 4;
}

function weighted(facts: LayerFacts): LayerCost {
  const out = size(facts.output);
  const act = activationOps(facts.config.activation);
  const biasAdds = facts.config.use_bias === true ? out : 0;
  const macs = facts.flops - biasAdds;
  // SeparableConv2D keeps its depthwise result too.
  const inner = facts.className === 'SeparableConv2D' ? (facts.output[0] as number) * (facts.output[1] as number) * ((facts.inputs[0]?.at(-1) ?? 0) as number) : 0;
  return {
    activationValues: out * (act > 0 ? 2 : 1) + inner,
    forwardOps: facts.flops + out * act,
    // Input gradient and weight gradient each cost as much as the forward product.
    backwardOps: 2 * macs + biasAdds + out * act,
  };
}

function pooling(facts: LayerFacts): LayerCost {
  const out = size(facts.output);
  const [ph, pw] = facts.config.pool_size as [number, number];
  const window = ph * pw;
  return { activationValues: out, forwardOps: out * window, backwardOps: out * window };
}

/** `perValue` forward and backward operations per output value, `kept` values kept per output value. */
function elementwise(facts: LayerFacts, forward: number, backward: number, kept = 1): LayerCost {
  const out = size(facts.output);
  return { activationValues: out * kept, forwardOps: out * forward, backwardOps: out * backward };
}

/**
 * The training cost of one layer. Layers without weights are counted too: they are where a
 * network that is cheap by its FLOPs can still be ruinous (a huge padding, a stack of
 * large-window poolings, wide concatenations).
 */
export function layerCost(facts: LayerFacts): LayerCost {
  const inputValues = facts.inputs.reduce((sum, shape) => sum + size(shape), 0);
  switch (facts.className) {
    case 'InputLayer':
      return { activationValues: size(facts.output), forwardOps: 0, backwardOps: 0 };
    case 'Dense':
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return weighted(facts);
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return pooling(facts);
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { activationValues: size(facts.output), forwardOps: inputValues, backwardOps: inputValues };
    case 'Flatten':
    case 'Reshape':
      // Views of their input: no new values, no work.
      return { activationValues: 0, forwardOps: 0, backwardOps: 0 };
    case 'Dropout':
      return elementwise(facts, 2, 1, 2);
    case 'BatchNormalization':
    case 'LayerNormalization':
      // Mean, variance, normalise, scale and shift; the normalised values are kept as well.
      return elementwise(facts, 8, 12, 2);
    case 'Activation':
      return elementwise(facts, activationOps(facts.config.activation), activationOps(facts.config.activation));
    case 'ReLU':
      return elementwise(facts, 1, 1);
    case 'LeakyReLU':
      return elementwise(facts, 2, 2);
    case 'Softmax':
      return elementwise(facts, 5, 5);
    case 'Add':
      return elementwise(facts, facts.inputs.length - 1, facts.inputs.length);
    case 'Concatenate':
      return elementwise(facts, 1, 1);
    case 'ZeroPadding2D':
      return { activationValues: size(facts.output), forwardOps: size(facts.output), backwardOps: inputValues };
    default:
      // A class the validator admitted but this model does not know: count it as a copy.
      return elementwise(facts, 1, 1);
  }
}
