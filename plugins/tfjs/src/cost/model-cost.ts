import { fail, type Failure } from '@llmatic/core';
import type { CostCaps } from './cost-caps.js';
import type { LayerCost } from './layer-cost.js';

const BYTES_PER_VALUE = 4; // float32
const MB = 1024 * 1024;
/** Weights, their gradients and two optimiser slots (Adam's moments; momentum SGD uses one). */
const COPIES_PER_WEIGHT = 4;
/** Operations of one optimiser update per weight, spread over the batch. */
const UPDATE_OPS_PER_WEIGHT = 4;

/** What training a network costs, as the trusted side estimates it. Figures are per example unless named otherwise. */
export interface TfjsModelCost {
  /** Bytes of activations the forward pass keeps for the backward pass, per example. */
  activationBytes: number;
  /** Estimated peak tensor memory of one training step at `batchSize`, in bytes. */
  trainingMemoryBytes: number;
  /** Operations of one training step per example: forward, backward and the weight update. */
  trainingFlops: number;
  /** The batch size the memory estimate assumes (the compiler's `trainingBatchSize`). */
  batchSize: number;
}

/** One layer's name, class and cost, for totals and for naming the largest contributor. */
export interface NamedLayerCost extends LayerCost {
  name: string;
  className: string;
}

/**
 * Totals of the layers' costs. Peak training memory: the kept activations and, at worst, a
 * gradient of each (tfjs frees a step's intermediates only when the step ends), for every example
 * of the batch, plus the weights with their gradients and optimiser state.
 */
export function modelCost(layers: readonly NamedLayerCost[], params: number, batchSize: number): TfjsModelCost {
  let activationValues = 0;
  let ops = 0;
  for (const layer of layers) {
    activationValues += layer.activationValues;
    ops += layer.forwardOps + layer.backwardOps;
  }
  return {
    activationBytes: activationValues * BYTES_PER_VALUE,
    trainingMemoryBytes: (2 * activationValues * batchSize + COPIES_PER_WEIGHT * params) * BYTES_PER_VALUE,
    trainingFlops: ops + (UPDATE_OPS_PER_WEIGHT * params) / batchSize,
    batchSize,
  };
}

function mb(bytes: number): string {
  const value = bytes / MB;
  return `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3)} MB`;
}

function largest(layers: readonly NamedLayerCost[], measure: (layer: NamedLayerCost) => number): string {
  let top: NamedLayerCost | undefined;
  for (const layer of layers) if (!top || measure(layer) > measure(top)) top = layer;
  return top ? `'${top.name}' (${top.className})` : 'none';
}

const RAISE = 'in the tfjsSpace / tfjsCompiler options if the machine can afford it, or shrink the network';

/** The first cap the cost breaks, as a `resource-cap` failure naming the figure, the cap and the option; null if none. */
export function checkCost(cost: TfjsModelCost, layers: readonly NamedLayerCost[], caps: CostCaps): Failure | null {
  if (cost.activationBytes > caps.maxActivationMb * MB) {
    return fail(
      'resource-cap',
      `the model keeps ${mb(cost.activationBytes)} of activations per example (largest layer ${largest(layers, (l) => l.activationValues)}), ` +
        `over the cap of ${mb(caps.maxActivationMb * MB)}; raise maxActivationMb ${RAISE}`,
    ).failure;
  }
  if (cost.trainingMemoryBytes > caps.maxTrainingMemoryMb * MB) {
    return fail(
      'resource-cap',
      `training the model at batch size ${cost.batchSize} needs an estimated ${mb(cost.trainingMemoryBytes)} of tensor memory ` +
        `(largest layer ${largest(layers, (l) => l.activationValues)}), over the cap of ${mb(caps.maxTrainingMemoryMb * MB)}; ` +
        `raise maxTrainingMemoryMb (or lower trainingBatchSize to the trainer's batch size) ${RAISE}`,
    ).failure;
  }
  if (cost.trainingFlops > caps.maxTrainingFlops) {
    return fail(
      'resource-cap',
      `training the model costs ${cost.trainingFlops.toExponential(3)} operations per example, forward and backward ` +
        `(largest layer ${largest(layers, (l) => l.forwardOps + l.backwardOps)}), over the cap of ` +
        `${caps.maxTrainingFlops.toExponential(3)}; raise maxTrainingFlops ${RAISE}`,
    ).failure;
  }
  return null;
}
