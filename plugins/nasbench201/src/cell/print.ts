import type { Nb201Op } from './ops.js';
import { CELL_OP_NAMES, edgeIndex, NODE_COUNT } from './ops.js';

/** The comment line the canonical printer puts on top: the language in one line. */
export const CELL_HEADER = '# NAS-Bench-201 cell: node k = sum of op(node j) for j < k';

export interface PrintOptions {
  /** Start with {@link CELL_HEADER} (default true). */
  header?: boolean;
}

/**
 * The canonical cell program of six edge operations: one line per node, terms ordered by source
 * node, `none` edges left out (a node with no input at all is written `none(node0)`).
 */
export function printCell(ops: readonly Nb201Op[], options: PrintOptions = {}): string {
  const lines: string[] = options.header === false ? [] : [CELL_HEADER];
  for (let node = 1; node <= NODE_COUNT; node++) {
    const terms: string[] = [];
    for (let source = 0; source < node; source++) {
      const op = ops[edgeIndex(source, node)];
      if (op === undefined) throw new RangeError(`printCell: expected 6 edge operations, got ${ops.length}`);
      if (op !== 'none') terms.push(`${CELL_OP_NAMES[op]}(node${source})`);
    }
    lines.push(`node${node} = ${terms.length > 0 ? terms.join(' + ') : 'none(node0)'}`);
  }
  return lines.join('\n');
}
