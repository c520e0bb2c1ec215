/**
 * Draws an index with probability proportional to its weight, with O(log n) weight updates:
 * a Fenwick (binary indexed) tree of prefix sums. k-means++ seeding changes a few weights per
 * new centre and draws once, so a linear scan per draw would cost O(n * k) at 10,000 niches.
 * Written here because it is twenty lines and no maintained npm package offers it on
 * Float64Array weights.
 */
export class WeightedSampler {
  private readonly tree: Float64Array;
  private readonly topStep: number;

  /** @param weights - non-negative weights, owned and updated in place by this sampler. */
  constructor(readonly weights: Float64Array) {
    this.tree = new Float64Array(weights.length + 1);
    let step = 1;
    while (step * 2 <= weights.length) step *= 2;
    this.topStep = step;
    this.rebuild();
  }

  /** Recomputes all prefix sums from the weights, discarding accumulated rounding error. */
  rebuild(): void {
    const { tree, weights } = this;
    tree.fill(0);
    for (let i = 1; i <= weights.length; i++) {
      tree[i] = (tree[i] as number) + (weights[i - 1] as number);
      const parent = i + (i & -i);
      if (parent <= weights.length) tree[parent] = (tree[parent] as number) + (tree[i] as number);
    }
  }

  set(index: number, weight: number): void {
    const delta = weight - (this.weights[index] as number);
    this.weights[index] = weight;
    for (let i = index + 1; i < this.tree.length; i += i & -i) {
      this.tree[i] = (this.tree[i] as number) + delta;
    }
  }

  total(): number {
    let sum = 0;
    for (let i = this.weights.length; i > 0; i -= i & -i) sum += this.tree[i] as number;
    return sum;
  }

  /** The first index whose running weight sum exceeds `target` (`0 <= target < total()`). */
  find(target: number): number {
    let position = 0;
    let rest = target;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = position + step;
      if (next < this.tree.length && (this.tree[next] as number) <= rest) {
        position = next;
        rest -= this.tree[next] as number;
      }
    }
    return Math.min(position, this.weights.length - 1);
  }
}
