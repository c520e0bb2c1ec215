import { describe, expect, it } from 'vitest';
import { signedLogDeterminant } from '../src/index.js';

describe('signedLogDeterminant', () => {
  it('matches determinants worked out by hand', () => {
    expect(signedLogDeterminant([2, 0, 0, 0, 3, 0, 0, 0, 4], 3).logAbsDet).toBeCloseTo(Math.log(24), 12);
    expect(signedLogDeterminant([4, 2, 2, 3], 2)).toEqual({ sign: 1, logAbsDet: expect.closeTo(Math.log(8), 12) });
    // A row swap flips the sign: det [[0, 1], [1, 0]] = -1.
    expect(signedLogDeterminant([0, 1, 1, 0], 2)).toEqual({ sign: -1, logAbsDet: 0 });
    expect(signedLogDeterminant([-3], 1)).toEqual({ sign: -1, logAbsDet: expect.closeTo(Math.log(3), 12) });
  });

  it('finds singular matrices, also when rounding hides it', () => {
    expect(signedLogDeterminant([1, 2, 2, 4], 2)).toEqual({ sign: 0, logAbsDet: -Infinity });
    expect(signedLogDeterminant([0.1, 0.2, 0.3, 0.3, 0.6, 0.9, 1, 1, 1], 3).sign).toBe(0);
  });

  it('stays finite where the determinant itself overflows float64', () => {
    // det(1000 I_200) = 1e600 > Number.MAX_VALUE.
    const n = 200;
    const big = new Float64Array(n * n);
    for (let i = 0; i < n; i++) big[i * n + i] = 1000;
    expect(signedLogDeterminant(big, n).logAbsDet).toBeCloseTo(n * Math.log(1000), 6);
  });

  it('refuses a matrix of the wrong size', () => {
    expect(() => signedLogDeterminant([1, 2, 3], 2)).toThrow(/2x2 matrix/);
  });
});
