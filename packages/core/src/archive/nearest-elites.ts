import type { Elite } from './archive.js';

/**
 * The `k` elites closest to `point` (Euclidean, in normalised space), nearest first, ties broken
 * by niche index. A linear scan: elites change with every add, an archive holds at most 10,000
 * of them, and crossover asks a handful of times per generation, so an index would not pay.
 */
export function nearestElites<T>(
  elites: Iterable<Elite<T>>,
  point: readonly number[],
  k: number,
  exclude?: number,
): Elite<T>[] {
  const scored: { elite: Elite<T>; distance: number }[] = [];
  for (const elite of elites) {
    if (elite.niche === exclude) continue;
    scored.push({ elite, distance: squaredDistance(elite.normalized, point) });
  }
  scored.sort((a, b) => a.distance - b.distance || a.elite.niche - b.elite.niche);
  return scored.slice(0, k).map((s) => s.elite);
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const t = (a[i] as number) - (b[i] as number);
    sum += t * t;
  }
  return sum;
}
