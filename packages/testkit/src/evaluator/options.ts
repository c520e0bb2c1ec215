import { z } from 'zod';
import type { Evaluator } from '@llmatic/core';
import { functionOption, timeoutOption } from '../options-schema.js';

type MaybePromise<T> = T | Promise<T>;

/** Options of {@link describeEvaluatorContract}. */
export interface EvaluatorContractOptions<M> {
  /** A fresh evaluator; the kit closes every one it creates. */
  create: () => MaybePromise<Evaluator<M>>;
  /** Models that evaluate successfully (at least one). */
  valid: readonly M[];
  /** Models that must give a typed failure. A malformed model (`{}`, `null`) is always tried too. */
  invalid?: readonly M[];
  /** An evaluator set up wrongly: its `check()` must reject with a message that names the fix. */
  misconfigured?: () => MaybePromise<Evaluator<M>>;
  /** Evaluations started at once by the concurrency check (default 3). */
  concurrency?: number;
  /** The same model always gets the same fitness (default false). */
  deterministic?: boolean;
  /** How long an aborted evaluation may take to settle (default 30 000 ms). */
  abortWithinMs?: number;
  /** Per check (default 60 000 ms). */
  timeoutMs?: number;
}

export const evaluatorOptionsSchema = z.object({
  create: functionOption('create: () => Evaluator'),
  valid: z.array(z.unknown()).min(1, 'give at least one model that evaluates successfully'),
  invalid: z.array(z.unknown()).optional(),
  misconfigured: functionOption('misconfigured: () => Evaluator').optional(),
  concurrency: z.number().int().min(2).optional(),
  deterministic: z.boolean().optional(),
  abortWithinMs: z.number().int().positive().optional(),
  timeoutMs: timeoutOption,
});
