/** Mean and sample standard deviation (n - 1) of some runs' values. */
export interface MeanSd {
  /** Null when there is no value. */
  mean: number | null;
  /** Null with fewer than two values. */
  sd: number | null;
  n: number;
  values: number[];
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  if (n === 0) return { mean: null, sd: null, n, values: [] };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, n, values: [...values] };
}
