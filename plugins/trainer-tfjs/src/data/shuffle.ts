import { Rng } from '@llmatic/core';

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = Rng.fromSeed(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Copies the images and labels at `indices` into a new split. */
export function gather(
  images: Float32Array, labels: Uint8Array | Int32Array, pixels: number, indices: ArrayLike<number>,
): { images: Float32Array; labels: Int32Array } {
  const outImages = new Float32Array(indices.length * pixels);
  const outLabels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]!;
    outImages.set(images.subarray(from * pixels, (from + 1) * pixels), i * pixels);
    outLabels[i] = labels[from]!;
  }
  return { images: outImages, labels: outLabels };
}
