import { z } from 'zod';

/** Images and integer class labels of one split. */
export interface DataSplit {
  /** `count * height * width * channels` values, image after image, each in HWC order. */
  images: Float32Array;
  /** One class index in [0, numClasses) per image. */
  labels: Uint8Array | Int32Array;
}

export interface DatasetSplits {
  /** Trained on. */
  train: DataSplit;
  /** Held out from training; its accuracy is the fitness by default. */
  validation: DataSplit;
  /** Reported, and used as fitness only when asked (`fitness: 'test'`). */
  test: DataSplit;
}

/**
 * An image-classification dataset the trainer can use. Implement it for your own data:
 *
 * ```ts
 * const myData: Dataset = {
 *   name: 'my-digits',
 *   inputShape: [28, 28, 1],
 *   numClasses: 10,
 *   load: async () => ({ train, validation, test }), // Float32Array images + Int32Array labels
 * };
 * ```
 *
 * `load` is called once per evaluator; the splits are then shared with the training processes.
 */
export interface Dataset {
  /** Short id, shown in logs and run metadata. */
  readonly name: string;
  /** [height, width, channels] of one image. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  load(): Promise<DatasetSplits>;
}

/** A {@link Dataset} over splits already in memory. */
export function inMemoryDataset(spec: {
  name: string;
  inputShape: readonly [number, number, number];
  numClasses: number;
  splits: DatasetSplits;
}): Dataset {
  const { splits, ...meta } = spec;
  checkSplits(meta, splits);
  return { ...meta, load: async () => splits };
}

const metaSchema = z.object({
  name: z.string().min(1),
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  numClasses: z.number().int().min(2),
});

/**
 * Validates a dataset's description and splits: sizes consistent with the input shape, labels
 * integral and in range, no NaN or infinite pixels, no empty split. Throws naming the problem.
 */
export function checkSplits(meta: Pick<Dataset, 'name' | 'inputShape' | 'numClasses'>, splits: DatasetSplits): void {
  const parsed = metaSchema.safeParse(meta);
  if (!parsed.success) {
    throw new Error(`Dataset '${meta.name}' has an invalid description: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const pixels = meta.inputShape[0] * meta.inputShape[1] * meta.inputShape[2];
  for (const key of ['train', 'validation', 'test'] as const) {
    const split = splits[key];
    const where = `Dataset '${meta.name}', split '${key}'`;
    if (!split || !(split.images instanceof Float32Array)) throw new Error(`${where}: images must be a Float32Array.`);
    if (!(split.labels instanceof Uint8Array || split.labels instanceof Int32Array)) {
      throw new Error(`${where}: labels must be a Uint8Array or Int32Array of class indices.`);
    }
    const count = split.labels.length;
    if (count === 0) throw new Error(`${where} is empty; give it at least one image.`);
    if (split.images.length !== count * pixels) {
      throw new Error(`${where}: ${split.images.length} pixel values for ${count} labels, expected ${count} x ${meta.inputShape.join('x')} = ${count * pixels}.`);
    }
    for (let i = 0; i < count; i++) {
      const label = split.labels[i]!;
      if (label < 0 || label >= meta.numClasses) {
        throw new Error(`${where}: label ${label} at index ${i} is outside [0, ${meta.numClasses}).`);
      }
    }
    for (let i = 0; i < split.images.length; i++) {
      if (!Number.isFinite(split.images[i]!)) throw new Error(`${where}: pixel ${i} is ${split.images[i]}; images must be finite.`);
    }
  }
}

export function splitCount(split: DataSplit): number {
  return split.labels.length;
}
