import { z } from 'zod';

/**
 * What this trainer needs from a compiled network: the Layers-API topology (the JSON of
 * `model.toJSON()`, as `tf.models.modelFromJSON({ modelTopology })` accepts it), the input shape
 * of one image and the number of classes. `@llmatic/tfjs` produces it; any plain object of this
 * shape works.
 */
export interface TfjsModelSpec {
  topology: unknown;
  inputShape: readonly number[];
  numClasses: number;
}

export const modelSpecSchema = z.object({
  topology: z.unknown().refine((t) => t !== undefined && t !== null, 'topology is missing'),
  inputShape: z.array(z.number().int().positive()).min(1),
  numClasses: z.number().int().min(2),
}).passthrough();
