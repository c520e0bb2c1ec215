import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** 32-bit FNV-1a over the seed and the path, so that derived streams differ for every (seed, path). */
function mix(seed: number, path: readonly (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const part of [seed, ...path]) {
    const text = `${String(part)}/`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h | 0;
}

/**
 * A seeded random stream. Randomness in a run comes only from streams derived from the run's
 * seed with {@link Rng.derive}, so that the same seed and the same LLM replies give the same run,
 * and a resumed generation makes the same choices as the interrupted one.
 */
export class Rng {
  private constructor(private readonly gen: Generator) {}

  static fromSeed(seed: number): Rng {
    // xoroshiro128+ seeded with a small integer starts in a low-entropy state: scramble the seed
    // (murmur3's finaliser) and skip the first outputs, so nearby seeds give unrelated streams.
    let h = seed | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    const gen = xoroshiro128plus(h);
    for (let i = 0; i < 16; i++) gen.next();
    return new Rng(gen);
  }

  /** An independent stream for `path` under `seed`, e.g. `derive(seed, 'gen', 3, 'offspring', 7)`. */
  static derive(seed: number, ...path: (number | string)[]): Rng {
    return Rng.fromSeed(mix(seed, path));
  }

  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  state(): number[] {
    return [...this.gen.getState()];
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.float();
  }

  /** Uniform integer in [low, high], both included. */
  int(low: number, high: number): number {
    return uniformInt(this.gen, low, high);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** `k` distinct items, in random order (all of them when `k >= items.length`). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = this.int(i, copy.length - 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  }
}
