import { describe, expect, it } from 'vitest';
import { CELL_HEADER, formatArch, parseArch, parseCell, printCell, type Nb201Op } from '@llmatic/nasbench201';
import { allOps, C1, C3, N, P, S } from './helpers/tables.js';

function errorOf(code: string): { line?: number; message: string } {
  const parsed = parseCell(code);
  if (parsed.ok) throw new Error(`expected a parse error for:\n${code}`);
  return parsed.error;
}

function opsOf(code: string): Nb201Op[] {
  const parsed = parseCell(code);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.cell.ops;
}

describe('cell language: printer and parser', () => {
  it('round-trips all 15,625 cells through the printer, and through arch strings', () => {
    const cells = allOps();
    expect(cells).toHaveLength(15_625);
    const printed = new Set<string>();
    for (const ops of cells) {
      const code = printCell(ops);
      printed.add(code);
      const parsed = parseCell(code);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.cell.ops).toEqual(ops);
      expect(parsed.cell.arch).toBe(formatArch(ops));
      const fromArch = parseCell(parsed.cell.arch);
      expect(fromArch.ok && fromArch.cell.ops).toEqual(ops);
    }
    expect(printed.size).toBe(15_625);
  });

  it('prints the canonical form: header, terms by source node, none edges left out', () => {
    expect(printCell([C3, C3, S, S, C1, P])).toBe(
      [
        CELL_HEADER,
        'node1 = conv3x3(node0)',
        'node2 = conv3x3(node0) + skip(node1)',
        'node3 = skip(node0) + conv1x1(node1) + avgpool(node2)',
      ].join('\n'),
    );
    expect(printCell([N, N, N, N, N, C1], { header: false })).toBe(
      ['node1 = none(node0)', 'node2 = none(node0)', 'node3 = conv1x1(node2)'].join('\n'),
    );
  });

  it('reads the benchmark arch string, with benchmark or cell-language op names', () => {
    const arch = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    expect(opsOf(arch)).toEqual([C3, C3, C3, S, C3, C3]);
    expect(opsOf(`# the often-quoted optimum\n  ${arch}  \n`)).toEqual([C3, C3, C3, S, C3, C3]);
    expect(opsOf('|conv3x3~0|+|skip~0|none~1|+|avgpool~0|conv1x1~1|none~2|')).toEqual([C3, S, N, P, C1, N]);
  });

  it('accepts comments, blank lines, any line order, explicit none, bare nodes as skip and benchmark names', () => {
    const code = `
      // a TS-style comment
      node3 = avgpool(node2) + node0   # node0 alone is a skip
      node1 = nor_conv_3x3(node0);

      node2 = none(node0) + Conv1x1( node1 )
    `;
    expect(opsOf(code)).toEqual([C3, N, C1, S, N, P]);
  });

  it('names an unknown operation and lists the valid ones, with the line number', () => {
    const error = errorOf('node1 = conv3x3(node0)\nnode2 = conv5x5(node0)\nnode3 = skip(node2)');
    expect(error.line).toBe(2);
    expect(error.message).toBe('line 2: unknown operation "conv5x5"; use one of conv3x3, conv1x1, avgpool, skip, none');
  });

  it('rejects an edge from a later node (or the node itself)', () => {
    expect(errorOf('node1 = conv3x3(node2)\nnode2 = skip(node0)\nnode3 = skip(node2)').message).toBe(
      'line 1: node1 cannot take input from node2: an edge goes from an earlier node to a later one, so node1 may use only node0',
    );
    expect(errorOf('node1 = skip(node0)\nnode2 = skip(node2)\nnode3 = skip(node2)').message).toContain(
      'node2 cannot take input from node2',
    );
    expect(errorOf('node1 = skip(node0)\nnode2 = skip(node1)\nnode3 = skip(node7)').message).toContain('may use only node0..node2');
  });

  it('rejects a duplicated edge, naming both terms', () => {
    expect(errorOf('node1 = skip(node0)\nnode2 = conv3x3(node0) + skip(node0)\nnode3 = skip(node2)').message).toBe(
      'line 2: node2 has two edges from node0 ("conv3x3(node0)" and "skip(node0)"); each pair of nodes has exactly one edge, so keep one',
    );
  });

  it('rejects a node defined twice, node0 or nodes beyond node3 on the left', () => {
    expect(errorOf('node1 = skip(node0)\nnode1 = conv3x3(node0)\nnode2 = skip(node1)\nnode3 = skip(node2)').message).toBe(
      'line 2: node1 is already defined on line 1; write one line per node',
    );
    expect(errorOf('node0 = skip(node0)').message).toContain('node0 is the cell input and cannot be assigned');
    expect(errorOf('node4 = skip(node3)').message).toContain('node4 does not exist');
    expect(errorOf('x = skip(node0)').message).toContain('the left-hand side must be node1, node2 or node3, got "x"');
  });

  it('reports a missing node line', () => {
    const error = errorOf('node1 = conv3x3(node0)\nnode3 = skip(node1)');
    expect(error.line).toBeUndefined();
    expect(error.message).toBe('node2 is missing: add a line "node2 = ..." (write none(node0) for a node without inputs)');
  });

  it('reports malformed lines and terms with their line number', () => {
    expect(errorOf('node1 = conv3x3(node0)\ndef cell(x):\nnode2 = skip(node1)')).toEqual({
      line: 2,
      message: 'line 2: expected "nodeK = op(nodeJ) + op(nodeJ) ...", got "def cell(x):"',
    });
    expect(errorOf('node1 = conv3x3(node0)\nnode2 = skip(node1)\nnode3 = skip(node0) + conv1x1(no').message).toBe(
      'line 3: cannot read the term "conv1x1(no"; a term is op(nodeJ), e.g. conv3x3(node0)',
    );
    expect(errorOf('node1 = skip(node0) +\nnode2 = skip(node1)\nnode3 = skip(node2)').message).toContain(
      'line 1: empty term',
    );
    expect(errorOf('node1 =\nnode2 = skip(node1)\nnode3 = skip(node2)').message).toContain('line 1: node1 has no terms');
    expect(errorOf('node1 = conv3x3(x)').message).toContain('"x" in "conv3x3(x)" is not a node');
    expect(errorOf('   \n# only a comment\n').message).toContain('the cell program is empty');
  });

  it('explains arch string errors', () => {
    expect(parseArch('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|')).toEqual({
      ok: false,
      message: expect.stringContaining('2 node group(s)'),
    });
    expect(parseArch('|nor_conv_3x3~0|+|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|')).toEqual({
      ok: false,
      message: expect.stringContaining('the group of node2 has 1 edge(s), it needs 2'),
    });
    expect(parseArch('|nor_conv_3x3~0|+|nor_conv_3x3~1|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|')).toEqual({
      ok: false,
      message: expect.stringContaining('must come from node0'),
    });
    expect(parseArch('|conv7x7~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|')).toEqual({
      ok: false,
      message: 'arch string: unknown operation "conv7x7"; use one of conv3x3, conv1x1, avgpool, skip, none',
    });
    expect(errorOf('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|\nnode1 = skip(node0)').message).toContain(
      'an arch string must be the whole program',
    );
  });
});
