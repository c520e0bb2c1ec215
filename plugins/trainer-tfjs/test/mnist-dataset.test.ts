import { describe, expect, it } from 'vitest';
import { mnistDataset } from '@llmatic/trainer-tfjs';

describe('mnistDataset', () => {
  it('cuts the 10,000 shipped digits into 8,000 / 1,000 / 1,000 disjoint, scaled, labelled splits', async () => {
    const dataset = mnistDataset();
    expect(dataset).toMatchObject({ name: 'mnist', inputShape: [28, 28, 1], numClasses: 10 });
    const { train, validation, test } = await dataset.load();
    expect([train.labels.length, validation.labels.length, test.labels.length]).toEqual([8000, 1000, 1000]);
    expect(train.images.length).toBe(8000 * 784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of train.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBeGreaterThan(0.99);
    expect(max).toBeLessThanOrEqual(1);
    // Every class appears in every split, in roughly equal numbers.
    for (const split of [train, validation, test]) {
      const counts = new Array<number>(10).fill(0);
      for (const l of split.labels) counts[l]!++;
      for (const c of counts) expect(c).toBeGreaterThan(split.labels.length / 20);
    }
    // Disjoint: no validation image occurs in the training split.
    const key = (images: Float32Array, i: number) => images.subarray(i * 784, (i + 1) * 784).join(',');
    const trainImages = new Set(Array.from({ length: train.labels.length }, (_, i) => key(train.images, i)));
    let shared = 0;
    for (let i = 0; i < validation.labels.length; i++) if (trainImages.has(key(validation.images, i))) shared++;
    expect(shared).toBeLessThan(3); // MNIST itself has a few duplicate images
  });

  it('is deterministic for a seed and different for another', async () => {
    const a = await mnistDataset({ train: 50, validation: 10, test: 10, seed: 1 }).load();
    const b = await mnistDataset({ train: 50, validation: 10, test: 10, seed: 1 }).load();
    const c = await mnistDataset({ train: 50, validation: 10, test: 10, seed: 2 }).load();
    expect(Array.from(a.train.labels)).toEqual(Array.from(b.train.labels));
    expect(a.train.images).toEqual(b.train.images);
    expect(Array.from(a.train.labels)).not.toEqual(Array.from(c.train.labels));
  });

  it('rejects split sizes beyond the 10,000 digits, and bad options', () => {
    expect(() => mnistDataset({ train: 9000, validation: 1000, test: 1000 })).toThrow(/exceeds the 10000 digits/);
    expect(() => mnistDataset({ train: -5 })).toThrow(/train/);
  });
});
