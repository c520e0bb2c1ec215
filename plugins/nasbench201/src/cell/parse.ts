import { cellFromOps, type NasBench201Cell } from './cell.js';
import { looksLikeArch, parseArch } from './arch.js';
import { edgeIndex, NODE_COUNT, resolveOp, unknownOpMessage, type Nb201Op } from './ops.js';

/** A syntax or structure error in a cell program, with the 1-based line it is on (if any). */
export interface CellSyntaxError {
  line?: number;
  message: string;
}

/** Outcome of {@link parseCell}. */
export type CellParse = { ok: true; cell: NasBench201Cell } | { ok: false; error: CellSyntaxError };

const LINE_FORM = 'nodeK = op(nodeJ) + op(nodeJ) ...';

/** Removes a `#` or `//` comment and surrounding blanks (and a trailing `;`). */
export function stripComment(line: string): string {
  let end = line.length;
  const hash = line.indexOf('#');
  if (hash >= 0) end = hash;
  const slashes = line.indexOf('//');
  if (slashes >= 0 && slashes < end) end = slashes;
  return line.slice(0, end).trim().replace(/;$/, '').trim();
}

interface Term {
  op: Nb201Op;
  source: number;
  text: string;
}

type TermParse = { ok: true; term: Term } | { ok: false; message: string };

function parseTerm(text: string, target: number): TermParse {
  // A bare `nodeJ` is read as `skip(nodeJ)`, the way `x + f(x)` reads in Python.
  const bare = /^node(\d+)$/i.exec(text);
  const call = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*([^()\s]*)\s*\)$/.exec(text);
  let opName: string;
  let argument: string;
  if (bare) {
    opName = 'skip';
    argument = text;
  } else if (call) {
    opName = call[1] ?? '';
    argument = call[2] ?? '';
  } else {
    return {
      ok: false,
      message: `cannot read the term "${text}"; a term is op(nodeJ), e.g. conv3x3(node0)`,
    };
  }
  const op = resolveOp(opName);
  if (!op) return { ok: false, message: unknownOpMessage(opName) };
  const node = /^node(\d+)$/i.exec(argument);
  const allowed = target === 1 ? 'node0' : `node0..node${target - 1}`;
  if (!node) {
    return { ok: false, message: `"${argument}" in "${text}" is not a node; node${target} may use ${allowed}` };
  }
  const source = Number(node[1]);
  if (source >= target) {
    return {
      ok: false,
      message: `node${target} cannot take input from node${source}: an edge goes from an earlier node to a later one, so node${target} may use only ${allowed}`,
    };
  }
  return { ok: true, term: { op, source, text } };
}

/**
 * Reads a cell program: one line `nodeK = op(nodeJ) + ...` for each of node1..node3, with
 * comments (`#`, `//`) and blank lines allowed, lines in any order, omitted edges meaning `none`.
 * A benchmark arch string is accepted as well. Errors are precise and carry the line number.
 */
export function parseCell(code: string): CellParse {
  const text = code.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const content = lines.map(stripComment);
  const meaningful = content.map((c, i) => ({ c, line: i + 1 })).filter(({ c }) => c !== '');
  if (meaningful.length === 0) {
    return {
      ok: false,
      error: { message: `the cell program is empty; write one line for each of node1, node2 and node3 (${LINE_FORM})` },
    };
  }
  const first = meaningful[0];
  if (first && looksLikeArch(first.c)) {
    if (meaningful.length > 1) {
      const extra = meaningful[1];
      return {
        ok: false,
        error: {
          ...(extra ? { line: extra.line } : {}),
          message: 'an arch string must be the whole program; remove the other lines or write node lines only',
        },
      };
    }
    const arch = parseArch(first.c);
    if (!arch.ok) return { ok: false, error: { line: first.line, message: arch.message } };
    return { ok: true, cell: arch.cell };
  }

  const ops: Nb201Op[] = ['none', 'none', 'none', 'none', 'none', 'none'];
  const definedOn = new Map<number, number>();
  for (const { c, line } of meaningful) {
    const error = (message: string): CellParse => ({ ok: false, error: { line, message: `line ${line}: ${message}` } });
    const assignment = /^([^=]*?)\s*=\s*(.*)$/.exec(c);
    if (!assignment) {
      if (looksLikeArch(c)) return error('an arch string cannot be mixed with node lines; write node lines only');
      return error(`expected "${LINE_FORM}", got "${c}"`);
    }
    const lhs = assignment[1] ?? '';
    const rhs = assignment[2] ?? '';
    const lhsNode = /^node(\d+)$/i.exec(lhs);
    if (!lhsNode) {
      return error(`the left-hand side must be node1, node2 or node3, got "${lhs}" (expected "${LINE_FORM}")`);
    }
    const target = Number(lhsNode[1]);
    if (target === 0) return error('node0 is the cell input and cannot be assigned; define node1, node2 and node3');
    if (target > NODE_COUNT) {
      return error(`node${target} does not exist: the cell has node1, node2 and node3 (node3 is the output)`);
    }
    const previous = definedOn.get(target);
    if (previous !== undefined) {
      return error(`node${target} is already defined on line ${previous}; write one line per node`);
    }
    definedOn.set(target, line);
    if (rhs === '') return error(`node${target} has no terms; write at least one op(nodeJ), e.g. none(node0)`);
    const seen = new Map<number, string>();
    for (const raw of rhs.split('+')) {
      const termText = raw.trim();
      if (termText === '') return error(`empty term in "${rhs}"; check the "+" signs`);
      const parsed = parseTerm(termText, target);
      if (!parsed.ok) return error(parsed.message);
      const { term } = parsed;
      const earlier = seen.get(term.source);
      if (earlier !== undefined) {
        return error(
          `node${target} has two edges from node${term.source} ("${earlier}" and "${term.text}"); each pair of nodes has exactly one edge, so keep one`,
        );
      }
      seen.set(term.source, term.text);
      ops[edgeIndex(term.source, target)] = term.op;
    }
  }
  for (let node = 1; node <= NODE_COUNT; node++) {
    if (!definedOn.has(node)) {
      return {
        ok: false,
        error: {
          message: `node${node} is missing: add a line "node${node} = ..." (write none(node0) for a node without inputs)`,
        },
      };
    }
  }
  return { ok: true, cell: cellFromOps(ops) };
}
