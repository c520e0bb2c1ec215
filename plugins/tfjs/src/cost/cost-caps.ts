import { z } from 'zod';

/**
 * Caps on what training a network costs, checked on the trusted side for every layer. The defaults
 * fit a 24 GiB, 2-core machine that trains two networks at once (one per core) next to the
 * coordinator and the compile sandboxes: about 4 GiB of tensors per training process.
 */
export interface CostCaps {
  /** Batch size the trainer uses; the training-memory estimate scales with it (default 64, the paper's). */
  trainingBatchSize: number;
  /** Largest size of any dimension of any layer's output (default 1,048,576 = 2^20). */
  maxDimension: number;
  /** Largest activation memory per example, in MB: every value the forward pass keeps for the backward pass (default 64). */
  maxActivationMb: number;
  /** Largest estimated peak tensor memory of training at `trainingBatchSize`, in MB (default 4,096). */
  maxTrainingMemoryMb: number;
  /**
   * Largest number of operations per training example, forward and backward, over every layer
   * (pooling, padding, concatenation, normalisation included). Default: `maxFlops` times
   * {@link TRAINING_FLOPS_PER_FLOP}, what a network at the forward cap costs to train, so the one
   * FLOPs budget a config sets bounds the layers the NAS-Bench-201 count leaves out as well.
   */
  maxTrainingFlops: number;
}

/** A convolution's training step costs about three forward passes (forward, input and weight gradients). */
export const TRAINING_FLOPS_PER_FLOP = 3;

/** Defaults of the caps; `maxTrainingFlops` defaults to `maxFlops` x {@link TRAINING_FLOPS_PER_FLOP}. */
export const DEFAULT_COST_CAPS: Readonly<Omit<CostCaps, 'maxTrainingFlops'>> = Object.freeze({
  trainingBatchSize: 64,
  maxDimension: 2 ** 20,
  maxActivationMb: 64,
  maxTrainingMemoryMb: 4_096,
});

const CAP_KEYS = ['trainingBatchSize', 'maxDimension', 'maxActivationMb', 'maxTrainingMemoryMb', 'maxTrainingFlops'] as const;

/** The caps found in `given` (other keys ignored), every default filled in, `maxTrainingFlops` from `maxFlops` when not given. */
export function resolveCostCaps(given: Partial<CostCaps>, maxFlops: number): CostCaps {
  const caps: CostCaps = { ...DEFAULT_COST_CAPS, maxTrainingFlops: maxFlops * TRAINING_FLOPS_PER_FLOP };
  for (const key of CAP_KEYS) {
    const value = given[key];
    if (typeof value === 'number') caps[key] = value;
  }
  return caps;
}

/** The zod fields of the caps, with their defaults, for the compiler's options schema. */
export const costCapsShape = {
  trainingBatchSize: z.number().int().positive().max(65_536).default(DEFAULT_COST_CAPS.trainingBatchSize),
  maxDimension: z.number().int().positive().max(2 ** 40).default(DEFAULT_COST_CAPS.maxDimension),
  maxActivationMb: z.number().positive().finite().default(DEFAULT_COST_CAPS.maxActivationMb),
  maxTrainingMemoryMb: z.number().positive().finite().default(DEFAULT_COST_CAPS.maxTrainingMemoryMb),
  maxTrainingFlops: z.number().positive().finite().optional(),
};
