/**
 * `log |det A|` of a square matrix and the sign of the determinant, like numpy's `slogdet`, by LU
 * decomposition with partial pivoting in float64. NASWOT's kernel has entries up to the number of
 * ReLU units, so its determinant overflows float64 long before its logarithm does; this never
 * forms the determinant itself. Hand-written because it is twenty lines and no maintained
 * dependency-free package offers just this.
 */
export interface SignedLogDeterminant {
  /** -1, 0 (singular) or 1. */
  sign: -1 | 0 | 1;
  /** `log |det A|`; -Infinity when singular. */
  logAbsDet: number;
}

/** Pivots smaller than this fraction of the largest entry count as zero (rounding of exact singularity). */
const RELATIVE_TOLERANCE = 1e-10;

export function signedLogDeterminant(matrix: ArrayLike<number>, n: number): SignedLogDeterminant {
  if (matrix.length !== n * n) throw new RangeError(`expected a ${n}x${n} matrix (${n * n} entries), got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  let largest = 0;
  for (const value of a) largest = Math.max(largest, Math.abs(value));
  const tolerance = largest * RELATIVE_TOLERANCE;
  let sign: 1 | -1 = 1;
  let logAbsDet = 0;
  for (let col = 0; col < n; col++) {
    let pivotRow = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row * n + col]!) > Math.abs(a[pivotRow * n + col]!)) pivotRow = row;
    const pivot = a[pivotRow * n + col]!;
    if (Math.abs(pivot) <= tolerance) return { sign: 0, logAbsDet: -Infinity };
    if (pivotRow !== col) {
      for (let k = 0; k < n; k++) [a[col * n + k], a[pivotRow * n + k]] = [a[pivotRow * n + k]!, a[col * n + k]!];
      sign = sign === 1 ? -1 : 1;
    }
    if (pivot < 0) sign = sign === 1 ? -1 : 1;
    logAbsDet += Math.log(Math.abs(pivot));
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col]! / pivot;
      if (factor === 0) continue;
      for (let k = col; k < n; k++) a[row * n + k]! -= factor * a[col * n + k]!;
    }
  }
  return { sign, logAbsDet };
}
