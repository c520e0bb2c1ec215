import type { TfjsModelCost } from './cost/model-cost.js';

/**
 * The compiled form of a TensorFlow.js program: plain data that crosses process boundaries.
 * The trainer rebuilds the network with `tf.models.modelFromJSON(spec.topology)`.
 */

/** A JSON value as found in a layer config. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** `[inboundLayerName, nodeIndex, tensorIndex, kwargs]`, as in `LayersModel.toJSON()`. */
export type InboundTensorRef = [string, number, number, Record<string, never>];

/** One layer of a functional topology. (Type aliases, not interfaces, so that the topology is
 * assignable to tfjs's `PyJsonDict`.) */
export type TopologyLayer = {
  name: string;
  /** tfjs class name, e.g. `Conv2D`, `Dense`, `InputLayer`. */
  class_name: string;
  /** The layer's serialised config in tfjs's snake_case form (includes `name`). */
  config: { [key: string]: JsonValue };
  /** One node per call of the layer; this space allows exactly one (none for `InputLayer`). */
  inbound_nodes: InboundTensorRef[][];
};

/**
 * A tfjs Layers model topology in the functional `Model` form that `LayersModel.toJSON(null,
 * false)` returns. Sequential programs are emitted in this form too, so there is one format.
 */
export type TfjsModelTopology = {
  class_name: 'Model';
  config: {
    name: string;
    layers: TopologyLayer[];
    /** `[layerName, nodeIndex, tensorIndex]` of the single input. */
    input_layers: [string, number, number][];
    /** `[layerName, nodeIndex, tensorIndex]` of the single output. */
    output_layers: [string, number, number][];
  };
  keras_version: string;
  backend: string;
};

/** What the trusted side computed for one layer. */
export interface TfjsLayerSummary {
  name: string;
  className: string;
  /** Names of the layers feeding this one, in call order. */
  inbound: string[];
  /** Output shape without the batch axis, e.g. `[32, 32, 16]` or `[10]`. */
  outputShape: number[];
  /** Weights of the layer, trainable or not (as tfjs `countParams()`). */
  params: number;
  /** FLOPs of the layer under the NAS-Bench-201 convention (see `flops` below). */
  flops: number;
}

/**
 * A validated network of the tfjs search space. Everything here was computed by the trusted side
 * from the topology, never taken from the sandboxed program.
 */
export interface TfjsModelSpec {
  topology: TfjsModelTopology;
  /** Input shape without the batch axis, e.g. `[32, 32, 3]`. */
  inputShape: number[];
  numClasses: number;
  /** Total weights (trainable and not), equal to tfjs `model.countParams()`. */
  params: number;
  /**
   * Per-example FLOPs, NAS-Bench-201 convention: multiply-accumulates of Conv2D, DepthwiseConv2D,
   * SeparableConv2D and Dense layers plus one add per output element when the layer has a bias.
   * Normalisation, activations, pooling, additions and concatenations are not counted.
   */
  flops: number;
  /**
   * What training the network costs, estimated over every layer (pooling, padding, merges and
   * normalisation included): activation memory per example, peak tensor memory at the
   * compiler's `trainingBatchSize`, operations per example forward and backward.
   */
  cost: TfjsModelCost;
  /**
   * Activation applied by the output layer: `softmax` means the model outputs probabilities
   * (train with categorical cross-entropy), anything else means logits or other scores.
   */
  outputActivation: string;
  /** Layers in topological order, input first. */
  layers: TfjsLayerSummary[];
}
