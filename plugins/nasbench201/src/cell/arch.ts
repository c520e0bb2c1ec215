import { cellFromOps, type NasBench201Cell } from './cell.js';
import { resolveOp, unknownOpMessage, type Nb201Op } from './ops.js';

/** Outcome of reading an arch string. */
export type ArchParse = { ok: true; cell: NasBench201Cell } | { ok: false; message: string };

/** True when `text` looks like an arch string (so its errors should be reported as such). */
export function looksLikeArch(text: string): boolean {
  const t = text.trim();
  return t.startsWith('|') && t.includes('~');
}

/**
 * Reads a benchmark arch string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`. Operation names may be
 * benchmark or cell-language names. Errors name the node group and the token at fault.
 */
export function parseArch(text: string): ArchParse {
  const t = text.trim();
  const expected = 'expected |op~0|+|op~0|op~1|+|op~0|op~1|op~2|';
  if (!t.startsWith('|') || !t.endsWith('|')) {
    return { ok: false, message: `arch string must start and end with "|"; ${expected}` };
  }
  const groups = t.slice(1, -1).split('|+|');
  if (groups.length !== 3) {
    return {
      ok: false,
      message: `arch string has ${groups.length} node group(s) separated by "|+|", a cell has 3 (node1, node2, node3); ${expected}`,
    };
  }
  const ops: Nb201Op[] = [];
  for (let k = 0; k < 3; k++) {
    const node = k + 1;
    const tokens = (groups[k] ?? '').split('|');
    if (tokens.length !== node) {
      return {
        ok: false,
        message: `arch string: the group of node${node} has ${tokens.length} edge(s), it needs ${node} (one from each of node0..node${node - 1})`,
      };
    }
    for (let j = 0; j < tokens.length; j++) {
      const token = tokens[j] ?? '';
      const match = /^([A-Za-z0-9_]+)~(\d+)$/.exec(token);
      if (!match) {
        return { ok: false, message: `arch string: cannot read edge "${token}" of node${node}; an edge is op~source, e.g. nor_conv_3x3~0` };
      }
      const [, name = '', source = ''] = match;
      if (Number(source) !== j) {
        return {
          ok: false,
          message: `arch string: edge ${j + 1} of node${node} ("${token}") must come from node${j} (write ${name}~${j})`,
        };
      }
      const op = resolveOp(name);
      if (!op) return { ok: false, message: `arch string: ${unknownOpMessage(name)}` };
      ops.push(op);
    }
  }
  return { ok: true, cell: cellFromOps(ops) };
}
