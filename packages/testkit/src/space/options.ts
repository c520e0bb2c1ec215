import { z } from 'zod';
import type { Metrics, SearchSpace } from '@llmatic/core';
import { timeoutOption } from '../options-schema.js';

type MaybePromise<T> = T | Promise<T>;

/** Options of {@link describeSpaceContract}. */
export interface SpaceContractOptions<M> {
  /** The space, or a function that builds it (called once per check). */
  space: SearchSpace<M> | (() => MaybePromise<SearchSpace<M>>);
  /** Metrics handed to descriptors (default {}), for descriptors that read metrics. */
  metrics?: Metrics;
  /** More programs that must compile, besides the seed. */
  programs?: readonly string[];
  /** Programs that must fail to compile with a typed failure (default: a line of prose). */
  invalidPrograms?: readonly string[];
  /** Programs drawn from each operator (default 5). */
  samples?: number;
  /** Per check (default 60 000 ms). */
  timeoutMs?: number;
}

export const spaceOptionsSchema = z.object({
  space: z.custom<object>((v) => typeof v === 'function' || (typeof v === 'object' && v !== null), {
    message: 'expected a SearchSpace or a function returning one',
  }),
  metrics: z.record(z.string(), z.number()).optional(),
  programs: z.array(z.string()).optional(),
  invalidPrograms: z.array(z.string()).min(1).optional(),
  samples: z.number().int().positive().optional(),
  timeoutMs: timeoutOption,
});
