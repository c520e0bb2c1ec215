import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Dataset, DatasetSplits } from './dataset.js';

/**
 * A dataset written once to a folder of raw little-endian arrays, so that every training process
 * reads it from the page cache instead of receiving hundreds of megabytes over IPC.
 */
const SPLITS = ['train', 'validation', 'test'] as const;

const metaSchema = z.object({
  name: z.string(),
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  numClasses: z.number().int().min(2),
  counts: z.object({ train: z.number().int().positive(), validation: z.number().int().positive(), test: z.number().int().positive() }),
});

export type DatasetFilesMeta = z.infer<typeof metaSchema>;

export async function writeDatasetFiles(dataset: Dataset, splits: DatasetSplits): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'llmatic-tfjs-data-'));
  const meta: DatasetFilesMeta = {
    name: dataset.name,
    inputShape: [...dataset.inputShape] as [number, number, number],
    numClasses: dataset.numClasses,
    counts: { train: splits.train.labels.length, validation: splits.validation.labels.length, test: splits.test.labels.length },
  };
  for (const key of SPLITS) {
    const split = splits[key];
    await writeFile(join(dir, `${key}.images.f32`), new Uint8Array(split.images.buffer, split.images.byteOffset, split.images.byteLength));
    const labels = split.labels instanceof Int32Array ? split.labels : Int32Array.from(split.labels);
    await writeFile(join(dir, `${key}.labels.i32`), new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  }
  await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
  return dir;
}

export async function readDatasetFiles(dir: string): Promise<{ meta: DatasetFilesMeta; splits: DatasetSplits }> {
  const meta = metaSchema.parse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
  const pixels = meta.inputShape[0] * meta.inputShape[1] * meta.inputShape[2];
  const read = async (key: (typeof SPLITS)[number]) => {
    const images = asFloat32(await readFile(join(dir, `${key}.images.f32`)));
    const labels = asInt32(await readFile(join(dir, `${key}.labels.i32`)));
    if (labels.length !== meta.counts[key] || images.length !== labels.length * pixels) {
      throw new Error(`Dataset cache ${dir} is inconsistent for split '${key}'; it was modified while in use.`);
    }
    return { images, labels };
  };
  return { meta, splits: { train: await read('train'), validation: await read('validation'), test: await read('test') } };
}

export async function removeDatasetFiles(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

function asFloat32(bytes: Buffer): Float32Array {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(new Uint8Array(bytes).buffer);
}

function asInt32(bytes: Buffer): Int32Array {
  if (bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Int32Array(new Uint8Array(bytes).buffer);
}
