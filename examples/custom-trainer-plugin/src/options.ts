import { z } from 'zod';
import type { Minibatch } from './minibatch.js';

export const naswotOptionsSchema = z
  .object({
    batch: z.custom<Minibatch>(
      (b) => typeof b === 'object' && b !== null && typeof (b as Minibatch).load === 'function' && Array.isArray((b as Minibatch).inputShape),
      'batch must be a Minibatch ({ name, inputShape, load() }), e.g. mnistMinibatch({ size: 64 })',
    ),
    /** Seed of the weight initialisers (default 0): the same network always gets the same score. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link naswot}. */
export type NaswotOptions = z.input<typeof naswotOptionsSchema>;
