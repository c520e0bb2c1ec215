/** A number for a table cell: fixed digits, or a dash when there is none. */
export function fixed(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** An integer with thousands separators (`15,625`). */
export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function percent(value: number, digits = 0): string {
  return `${(100 * value).toFixed(digits)}%`;
}

/** Seconds as `1h 02m`, `3m 05s` or `4.2s`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Integers as they are, other numbers with `digits` decimals (descriptor values: 3 skips, 47.10 MFLOPs). */
export function compact(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}
