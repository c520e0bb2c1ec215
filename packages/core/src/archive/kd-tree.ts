/**
 * A static k-d tree over points in any number of dimensions, answering exact nearest-neighbour
 * queries. Hand-written because no npm package fits:
 * - `kdbush` is 2-D only and has no nearest-neighbour query;
 * - `static-kdtree` (n-D, kNN) is unmaintained since 2014, pulls in the ndarray family, and was
 *   3x slower than this tree here;
 * - `@thi.ng/geom-accel`'s `KdTreeMap` (n-D, kNN, maintained) keeps one module-level scratch
 *   vector for all trees, so once a 3-D tree has been queried a 2-D tree returns wrong
 *   neighbours (checked on 4.1.91); it was also 2-3x slower.
 *
 * Layout: points stay in one Float64Array; nodes are parallel typed arrays; leaves hold up to
 * {@link LEAF_SIZE} points. Splits are at the median of the widest axis, found by quickselect,
 * so building 10,000 points takes a few milliseconds.
 */
const LEAF_SIZE = 8;

export class KdTree {
  /** Point ids, permuted so that every node owns a contiguous range. */
  private readonly ids: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Split axis of an inner node, -1 for a leaf. */
  private readonly axis: Int32Array;
  private readonly split: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private nodeCount = 0;
  private readonly stack: Int32Array;
  private readonly stackGap: Float64Array;

  /**
   * @param points - `count * dimensions` coordinates, point after point (not copied: do not
   *   change them while the tree is in use).
   */
  constructor(
    private readonly points: Float64Array,
    readonly dimensions: number,
  ) {
    const count = points.length / dimensions;
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`KdTree: expected a whole, non-zero number of ${dimensions}-D points, got ${points.length} values`);
    }
    this.ids = Int32Array.from({ length: count }, (_, i) => i);
    const capacity = 2 * Math.ceil(count / (LEAF_SIZE / 2)) + 1;
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.axis = new Int32Array(capacity);
    this.split = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.build(0, count);
    // Depth is at most log2(count / LEAF_SIZE) + 1; each level pushes two entries.
    this.stack = new Int32Array(2 * (Math.ceil(Math.log2(count + 1)) + 2));
    this.stackGap = new Float64Array(this.stack.length);
  }

  /** Number of points. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Id (row index) of the point nearest to `query` (Euclidean). Among points at the same
   * distance, the lowest id: the answer does not depend on how the tree was split.
   */
  nearest(query: ArrayLike<number>): number {
    const { points, ids, dimensions: d, axis, split, left, right, start, end, stack, stackGap } = this;
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    let top = 0;
    stack[top] = 0;
    stackGap[top++] = 0;
    while (top > 0) {
      const node = stack[--top] as number;
      if ((stackGap[top] as number) > bestDistance) continue;
      const a = axis[node] as number;
      if (a < 0) {
        for (let i = start[node] as number; i < (end[node] as number); i++) {
          const id = ids[i] as number;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const t = (points[id * d + j] as number) - (query[j] as number);
            s += t * t;
          }
          if (s < bestDistance || (s === bestDistance && id < best)) {
            bestDistance = s;
            best = id;
          }
        }
        continue;
      }
      const diff = (query[a] as number) - (split[node] as number);
      // Far side first on the stack, so the near side is searched first.
      stack[top] = diff < 0 ? (right[node] as number) : (left[node] as number);
      stackGap[top++] = diff * diff;
      stack[top] = diff < 0 ? (left[node] as number) : (right[node] as number);
      stackGap[top++] = 0;
    }
    return best;
  }

  private build(from: number, to: number): number {
    const node = this.nodeCount++;
    this.start[node] = from;
    this.end[node] = to;
    if (to - from <= LEAF_SIZE) {
      this.axis[node] = -1;
      return node;
    }
    const a = this.widestAxis(from, to);
    const middle = (from + to) >> 1;
    this.select(from, to - 1, middle, a);
    this.axis[node] = a;
    this.split[node] = this.coordinate(middle, a);
    const leftChild = this.build(from, middle);
    const rightChild = this.build(middle, to);
    this.left[node] = leftChild;
    this.right[node] = rightChild;
    return node;
  }

  private widestAxis(from: number, to: number): number {
    let widest = 0;
    let widestSpread = -1;
    for (let a = 0; a < this.dimensions; a++) {
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      for (let i = from; i < to; i++) {
        const v = this.coordinate(i, a);
        if (v < low) low = v;
        if (v > high) high = v;
      }
      if (high - low > widestSpread) {
        widestSpread = high - low;
        widest = a;
      }
    }
    return widest;
  }

  /** Quickselect (Hoare partition): ids[lo..k) <= ids[k] <= ids(k..hi] on axis `a`. */
  private select(lo: number, hi: number, k: number, a: number): void {
    const { ids } = this;
    while (lo < hi) {
      const pivot = this.coordinate((lo + hi) >> 1, a);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (this.coordinate(i, a) < pivot) i++;
        while (this.coordinate(j, a) > pivot) j--;
        if (i <= j) {
          const t = ids[i] as number;
          ids[i++] = ids[j] as number;
          ids[j--] = t;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /** Coordinate `a` of the point at position `i` of the permuted id array. */
  private coordinate(i: number, a: number): number {
    return this.points[(this.ids[i] as number) * this.dimensions + a] as number;
  }
}
