import type { Nb201Op } from './ops.js';

/** The operation on each of the six edges, in arch-string order (see `EDGES`). */
export type EdgeOps = [Nb201Op, Nb201Op, Nb201Op, Nb201Op, Nb201Op, Nb201Op];

/**
 * A compiled NAS-Bench-201 cell: plain data (structured-cloneable), the model that the oracle
 * evaluator and the descriptors consume.
 */
export interface NasBench201Cell {
  /** Canonical arch string, e.g. `|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|...|`. */
  arch: string;
  /** The six edge operations, in arch-string order. */
  ops: EdgeOps;
}

/** The canonical benchmark arch string of six edge operations. */
export function formatArch(ops: readonly Nb201Op[]): string {
  const [a, b, c, d, e, f] = ops;
  return `|${a}~0|+|${b}~0|${c}~1|+|${d}~0|${e}~1|${f}~2|`;
}

/** A cell from its six edge operations. */
export function cellFromOps(ops: readonly Nb201Op[]): NasBench201Cell {
  if (ops.length !== 6) throw new RangeError(`a NAS-Bench-201 cell has 6 edges, got ${ops.length}`);
  const copy = [...ops] as EdgeOps;
  return { arch: formatArch(copy), ops: copy };
}
