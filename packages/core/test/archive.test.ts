import { describe, expect, it } from 'vitest';
import { CVTArchive } from '../src/archive/cvt-archive.js';
import { Rng } from '../src/rng/rng.js';

// The network archive of the paper: width-to-depth ratio in [0, 200], FLOPs in [200 M, 5 G].
const NETWORK_BOUNDS: [number, number][] = [
  [0, 200],
  [2e8, 5e9],
];

/** Four niches with centroids at the corners' quarter points of the unit square. */
const QUARTERS = [
  [0.25, 0.25],
  [0.75, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
];

function quarterArchive<T>(bounds: [number, number][] = NETWORK_BOUNDS, qdOffset = 0): CVTArchive<T> {
  return new CVTArchive<T>({ bounds, niches: 4, seed: 1, centroids: QUARTERS, qdOffset });
}

/** A raw descriptor at normalised position (x, y) of NETWORK_BOUNDS. */
function raw(x: number, y: number): number[] {
  return [x * 200, 2e8 + y * 4.8e9];
}

function bruteForceNiche(centroids: number[][], point: number[]): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  centroids.forEach((centroid, c) => {
    const distance = centroid.reduce((sum, v, j) => sum + (v - (point[j] as number)) ** 2, 0);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  });
  return best;
}

describe('CVTArchive normalisation', () => {
  it('spreads descriptors over the declared bounds across most niches (raw FLOPs reached 1-3 of 100 in the reference)', () => {
    const archive = new CVTArchive<number>({ bounds: NETWORK_BOUNDS, niches: 100, seed: 11 });
    const rng = Rng.derive(5, 'spread');
    for (let i = 0; i < 5_000; i++) {
      archive.add([rng.uniform(0, 200), rng.uniform(2e8, 5e9)], rng.float(), i);
    }
    expect(archive.coverage).toBeGreaterThanOrEqual(0.95);
    expect(archive.clippedCount).toBe(0);
  });

  it('chooses the niche of the nearest centroid after dividing by the bounds', () => {
    const archive = new CVTArchive<null>({ bounds: NETWORK_BOUNDS, niches: 50, seed: 3, samples: 5_000 });
    const centroids = archive.centroids;
    const rng = Rng.derive(6, 'niches');
    for (let i = 0; i < 2_000; i++) {
      const x = rng.float();
      const y = rng.float();
      expect(archive.nicheOf(raw(x, y))).toBe(bruteForceNiche(centroids, [x, y]));
    }
  });

  it('stores raw and normalised descriptors on the elite', () => {
    const archive = quarterArchive<string>();
    archive.add([50, 2e8 + 0.5 * 4.8e9], 1, 'a');
    const elite = archive.elites()[0];
    expect(elite?.descriptors).toEqual([50, 2e8 + 0.5 * 4.8e9]);
    expect(elite?.normalized[0]).toBeCloseTo(0.25, 12);
    expect(elite?.normalized[1]).toBeCloseTo(0.5, 12);
  });

  it('clips values outside the bounds to the nearest face and counts each clipped value', () => {
    const archive = quarterArchive<string>();
    const result = archive.add([-10, 9e9], 1, 'outside');
    expect(result.clipped).toBe(true);
    expect(result.niche).toBe(2); // clipped to (0, 1): nearest centroid is (0.25, 0.75)
    expect(archive.get(2)?.normalized).toEqual([0, 1]);
    expect(archive.clippedCount).toBe(2);
    expect(archive.add([250, 1e9], 1, 'one axis out').clipped).toBe(true);
    expect(archive.clippedCount).toBe(3);
    expect(archive.add(raw(0.5, 0.5), 1, 'inside').clipped).toBe(false);
    expect(archive.clippedCount).toBe(3);
  });

  it('does not count clipping in nicheOf, which is a query', () => {
    const archive = quarterArchive<string>();
    expect(archive.nicheOf([1e6, -1e12])).toBe(1);
    expect(archive.clippedCount).toBe(0);
  });
});

describe('CVTArchive.add', () => {
  it('reports new, improved and rejected with the incumbent', () => {
    const archive = quarterArchive<string>();
    const first = archive.add(raw(0.2, 0.2), 0.5, 'first');
    expect(first).toEqual({ status: 'new', niche: 0, clipped: false });

    const better = archive.add(raw(0.3, 0.1), 0.7, 'better');
    expect(better.status).toBe('improved');
    expect(better.niche).toBe(0);
    expect(better.incumbent?.payload).toBe('first');
    expect(archive.get(0)?.payload).toBe('better');

    const worse = archive.add(raw(0.1, 0.3), 0.6, 'worse');
    expect(worse.status).toBe('rejected');
    expect(worse.incumbent?.payload).toBe('better');
    expect(archive.get(0)?.payload).toBe('better');
    expect(archive.size).toBe(1);
    expect(archive.counters).toEqual({ offered: 3, new: 1, improved: 1, rejected: 1, clipped: 0 });
  });

  it('keeps the incumbent on a tie: an equal fitness does not replace', () => {
    const archive = quarterArchive<string>();
    archive.add(raw(0.8, 0.8), 0.9, 'incumbent');
    const tie = archive.add(raw(0.7, 0.7), 0.9, 'challenger');
    expect(tie.status).toBe('rejected');
    expect(tie.incumbent?.payload).toBe('incumbent');
    expect(archive.get(3)?.payload).toBe('incumbent');
    expect(archive.get(3)?.descriptors).toEqual(raw(0.8, 0.8));
  });

  it('keeps coverage, qdScore (with offset) and best in step with the elites', () => {
    const archive = quarterArchive<string>(NETWORK_BOUNDS, -1);
    expect(archive.best()).toBeUndefined();
    expect(archive.qdScore).toBe(0);
    archive.add(raw(0.2, 0.2), 0.5, 'a');
    archive.add(raw(0.8, 0.2), 0.25, 'b');
    archive.add(raw(0.2, 0.8), 0.75, 'c');
    expect(archive.coverage).toBe(0.75);
    expect(archive.qdScore).toBeCloseTo(0.5 + 1 + 0.25 + 1 + 0.75 + 1, 12);
    expect(archive.best()?.payload).toBe('c');
    archive.add(raw(0.8, 0.8), 0.75, 'd'); // ties with c: the lower niche wins
    expect(archive.best()?.payload).toBe('c');
  });

  it('returns frozen elites, so callers cannot corrupt the archive', () => {
    const archive = quarterArchive<string>();
    archive.add(raw(0.2, 0.2), 0.5, 'a');
    const elite = archive.get(0);
    expect(Object.isFrozen(elite)).toBe(true);
    expect(Object.isFrozen(elite?.descriptors)).toBe(true);
  });
});

describe('CVTArchive.update', () => {
  it('changes fitness and payload in place, and qdScore and best follow', () => {
    const archive = quarterArchive<{ curiosity: number }>();
    archive.add(raw(0.2, 0.2), 1, { curiosity: 0 });
    archive.add(raw(0.8, 0.8), 2, { curiosity: 0 });
    archive.update(0, (elite) => ({ ...elite, fitness: 5, payload: { curiosity: elite.payload.curiosity + 1 } }));
    expect(archive.get(0)?.payload).toEqual({ curiosity: 1 });
    expect(archive.get(0)?.fitness).toBe(5);
    expect(archive.qdScore).toBe(7);
    expect(archive.best()?.niche).toBe(0);
  });

  it('moves an elite within its niche: new descriptors stored and normalised, nearest() sees them', () => {
    const archive = quarterArchive<string>();
    archive.add(raw(0.2, 0.2), 1, 'a');
    archive.update(0, (e) => ({ ...e, descriptors: raw(0.3, 0.1) }));
    const elite = archive.get(0);
    expect(elite?.descriptors).toEqual(raw(0.3, 0.1));
    expect(elite?.normalized[0]).toBeCloseTo(0.3, 12);
    expect(elite?.normalized[1]).toBeCloseTo(0.1, 12);
    expect(Object.isFrozen(elite?.descriptors)).toBe(true);
    expect(() => archive.update(0, (e) => ({ ...e, descriptors: [Number.NaN, 0] }))).toThrow();
  });

  it('refuses to move an elite or to update an empty niche', () => {
    const archive = quarterArchive<string>();
    archive.add(raw(0.2, 0.2), 1, 'a');
    expect(() => archive.update(0, (e) => ({ ...e, descriptors: raw(0.9, 0.9) }))).toThrow(/moved the elite/);
    expect(() => archive.update(0, (e) => ({ ...e, niche: 3 }))).toThrow(/moved the elite/);
    expect(() => archive.update(1, (e) => e)).toThrow(/niche 1 holds no elite/);
    expect(() => archive.update(0, (e) => ({ ...e, fitness: Number.NaN }))).toThrow(/finite/);
  });
});

describe('CVTArchive.nearest', () => {
  it('ranks elites by distance in normalised space, nearest first, honouring k and exclude', () => {
    // Raw scales differ by 1e9: raw distances would always pick the neighbour along the first axis.
    const archive = new CVTArchive<string>({
      bounds: [
        [0, 1],
        [0, 1e9],
      ],
      niches: 4,
      seed: 1,
      centroids: QUARTERS,
    });
    archive.add([0.2, 0.2e9], 1, 'self'); // niche 0
    archive.add([0.6, 0.2e9], 1, 'right'); // niche 1, normalised distance 0.4
    archive.add([0.2, 0.55e9], 1, 'up'); // niche 2, normalised distance 0.35
    archive.add([0.9, 0.9e9], 1, 'far'); // niche 3
    const near = archive.nearest([0.2, 0.2e9], 2, 0);
    expect(near.map((e) => e.payload)).toEqual(['up', 'right']);
    expect(archive.nearest([0.2, 0.2e9], 1).map((e) => e.payload)).toEqual(['self']);
    expect(archive.nearest([0.2, 0.2e9], 10, 0)).toHaveLength(3);
    expect(archive.nearest([0.2, 0.2e9], 0)).toEqual([]);
  });
});

describe('CVTArchive.sample', () => {
  it('returns undefined from an empty archive', () => {
    expect(quarterArchive<string>().sample(Rng.derive(1, 'empty'))).toBeUndefined();
  });

  it('draws every elite with equal probability (chi-square, seeded)', () => {
    const archive = new CVTArchive<number>({ bounds: NETWORK_BOUNDS, niches: 30, seed: 4, samples: 5_000 });
    const rng = Rng.derive(9, 'fill');
    while (archive.size < 10) archive.add([rng.uniform(0, 200), rng.uniform(2e8, 5e9)], rng.float(), archive.size);
    const counts = new Map<number, number>();
    const draws = 20_000;
    const sampler = Rng.derive(9, 'draws');
    for (let i = 0; i < draws; i++) {
      const niche = archive.sample(sampler)?.niche as number;
      counts.set(niche, (counts.get(niche) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(archive.elites().map((e) => e.niche));
    const expected = draws / archive.size;
    const chiSquare = [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.88); // 9 degrees of freedom, p = 0.001
  });

  it('does not favour elites by fitness or niche position', () => {
    const archive = quarterArchive<string>();
    archive.add(raw(0.2, 0.2), 100, 'strong');
    archive.add(raw(0.8, 0.8), -100, 'weak');
    const rng = Rng.derive(2, 'fair');
    let weak = 0;
    for (let i = 0; i < 10_000; i++) if (archive.sample(rng)?.payload === 'weak') weak++;
    expect(weak).toBeGreaterThan(4_700);
    expect(weak).toBeLessThan(5_300);
  });
});

describe('CVTArchive in other dimensions', () => {
  it('works in 1-D', () => {
    const archive = new CVTArchive<number>({ bounds: [[-5, 5]], niches: 10, seed: 2, samples: 5_000 });
    const centres = archive.centroids.map((c) => c[0] as number).sort((a, b) => a - b);
    // On a segment, k-means spreads centroids about 1/10 apart (sample noise leaves some slack).
    expect(centres[0]).toBeLessThan(0.1);
    expect(centres[9]).toBeGreaterThan(0.9);
    for (let i = 1; i < 10; i++) {
      expect((centres[i] as number) - (centres[i - 1] as number)).toBeGreaterThan(0.07);
      expect((centres[i] as number) - (centres[i - 1] as number)).toBeLessThan(0.13);
    }
    for (let x = -5; x <= 5; x += 0.01) archive.add([x], 1, x);
    expect(archive.coverage).toBe(1);
    expect(archive.nicheOf([-5])).toBe(archive.nicheOf([-1e9]));
  });

  it('works in 3-D', () => {
    const bounds: [number, number][] = [
      [0, 1],
      [10, 20],
      [-1, 1],
    ];
    const archive = new CVTArchive<number>({ bounds, niches: 40, seed: 8, samples: 8_000 });
    const centroids = archive.centroids;
    expect(centroids).toHaveLength(40);
    const rng = Rng.derive(8, '3d');
    for (let i = 0; i < 3_000; i++) {
      const point = [rng.float(), rng.float(), rng.float()];
      const descriptors = point.map((t, j) => {
        const [low, high] = bounds[j] as [number, number];
        return low + t * (high - low);
      });
      const result = archive.add(descriptors, rng.float(), i);
      expect(result.niche).toBe(bruteForceNiche(centroids, point));
    }
    expect(archive.coverage).toBe(1);
  });
});

describe('CVTArchive bad input', () => {
  const base = { bounds: NETWORK_BOUNDS, niches: 4, seed: 1, centroids: QUARTERS };

  it('rejects impossible niche counts', () => {
    expect(() => new CVTArchive({ ...base, niches: 0 })).toThrow(/niches must be an integer from 1 to 10000, got 0/);
    expect(() => new CVTArchive({ ...base, niches: 10_001 })).toThrow(/niches must be an integer/);
    expect(() => new CVTArchive({ ...base, niches: 2.5 })).toThrow(/niches must be an integer/);
  });

  it('rejects bounds with low >= high, wrong shapes or non-finite values', () => {
    expect(() => new CVTArchive({ ...base, bounds: [[0, 200], [5, 5]] })).toThrow(/bounds\[1\] has low >= high \(5 >= 5\)/);
    expect(() => new CVTArchive({ ...base, bounds: [[10, 0], [0, 1]] })).toThrow(/bounds\[0\] has low >= high/);
    expect(() => new CVTArchive({ ...base, bounds: [] })).toThrow(/non-empty array/);
    expect(() => new CVTArchive({ ...base, bounds: [[0, Number.POSITIVE_INFINITY], [0, 1]] })).toThrow(/finite/);
  });

  it('rejects bad seeds, sample counts and centroids', () => {
    expect(() => new CVTArchive({ ...base, seed: 0.5 })).toThrow(/seed must be an integer/);
    const { centroids: _unused, ...noCentroids } = base;
    expect(() => new CVTArchive({ ...noCentroids, niches: 10, samples: 5 })).toThrow(/samples must be an integer >= niches \(10\)/);
    expect(() => new CVTArchive({ ...base, centroids: QUARTERS.slice(0, 3) })).toThrow(/3 centroids for 4 niches/);
    expect(() => new CVTArchive({ ...base, centroids: [[0, 0], [1, 1], [0.5, 0.5], [0.5]] })).toThrow(/centroid 3 has 1 values/);
    expect(() => new CVTArchive({ ...base, centroids: [[0, 0], [1, 1], [0.5, 0.5], [20, 4e9]] })).toThrow(
      /normalised \[0, 1\] space/,
    );
  });

  it('rejects descriptors of the wrong length or non-finite values, and non-finite fitness', () => {
    const archive = quarterArchive<string>();
    expect(() => archive.add([1], 1, 'x')).toThrow(/expected 2 descriptor value\(s\), one per bound, got 1/);
    expect(() => archive.add([1, 2, 3], 1, 'x')).toThrow(/expected 2 descriptor/);
    expect(() => archive.nicheOf([1])).toThrow(/CVTArchive.nicheOf: expected 2/);
    expect(() => archive.nearest([1], 1)).toThrow(/CVTArchive.nearest: expected 2/);
    expect(() => archive.add([Number.NaN, 1], 1, 'x')).toThrow(/descriptor 0 must be a finite number/);
    expect(() => archive.add([1, 1], Number.NaN, 'x')).toThrow(/fitness must be a finite number/);
    expect(() => archive.nearest([1, 1], -1)).toThrow(/k must be an integer >= 0/);
    expect(() => archive.get(4)).toThrow(/niche must be an integer from 0 to 3, got 4/);
    expect(archive.counters.offered).toBe(0);
  });
});
