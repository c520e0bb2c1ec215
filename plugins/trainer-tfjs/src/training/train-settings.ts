import { z } from 'zod';

/** How one network is trained. Paper defaults: 50 epochs of SGD, lr 0.001, momentum 0.9, cross-entropy. */
export const trainSettingsSchema = z.object({
  epochs: z.number().int().positive().default(50),
  batchSize: z.number().int().positive().default(64),
  learningRate: z.number().positive().finite().default(0.001),
  momentum: z.number().min(0).max(1).default(0.9),
  optimizer: z.enum(['sgd', 'adam']).default('sgd'),
  /** Which accuracy is the fitness; the paper selected on test, we default to validation. */
  fitness: z.enum(['validation', 'test']).default('validation'),
  /** Seeds the initial weights (of initialisers without their own seed) and the batch order. */
  seed: z.number().int().default(0),
});

export type TrainSettingsInput = z.input<typeof trainSettingsSchema>;
export type TrainSettings = z.output<typeof trainSettingsSchema>;
