import { z } from 'zod';
import type { Executor } from '@llmatic/core';
import { functionOption, timeoutOption } from '../options-schema.js';

type MaybePromise<T> = T | Promise<T>;

/** Options of {@link describeExecutorContract}. */
export interface ExecutorContractOptions {
  /** A fresh executor; the kit closes every one it creates. */
  create: () => MaybePromise<Executor>;
  /** Programs its pipeline evaluates successfully (at least one). */
  valid: readonly string[];
  /** Programs that must come back as `{ ok: false, failure }` (at least one). */
  invalid: readonly string[];
  /** Number of descriptors each successful JobResult carries (checked when given). */
  descriptors?: number;
  /** Jobs run at once by the concurrency check (default 3). */
  concurrency?: number;
  /** How long an aborted job may take to settle (default 30 000 ms). */
  abortWithinMs?: number;
  /** Per check (default 60 000 ms). */
  timeoutMs?: number;
}

export const executorOptionsSchema = z.object({
  create: functionOption('create: () => Executor'),
  valid: z.array(z.string()).min(1, 'give at least one program that evaluates successfully'),
  invalid: z.array(z.string()).min(1, 'give at least one program that must fail'),
  descriptors: z.number().int().nonnegative().optional(),
  concurrency: z.number().int().min(2).optional(),
  abortWithinMs: z.number().int().positive().optional(),
  timeoutMs: timeoutOption,
});
