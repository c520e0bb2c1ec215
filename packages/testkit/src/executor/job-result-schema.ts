import { z } from 'zod';
import { FAILURE_REASONS } from '@llmatic/core';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** A JobResult as the kernel reads it (see `JobResult` in @llmatic/core). */
export const jobResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    fitness: finite,
    descriptors: z.array(finite),
    metrics: z.record(z.string(), finite),
    info: z.record(z.string(), z.string()).optional(),
    artifacts: z.array(z.object({ name: z.string().min(1), data: z.instanceof(Uint8Array) })).optional(),
    evaluationMs: z.number().nonnegative(),
  }),
  z.object({
    ok: z.literal(false),
    failure: z.object({ reason: z.enum(FAILURE_REASONS as [string, ...string[]]), message: z.string().min(1) }),
    evaluationMs: z.number().nonnegative(),
  }),
]);
