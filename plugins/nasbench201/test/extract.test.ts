import { describe, expect, it } from 'vitest';
import { extractCell, parseCell } from '@llmatic/nasbench201';

const CELL = `node1 = conv3x3(node0)
node2 = conv3x3(node0) + skip(node1)
node3 = skip(node0) + conv1x1(node1) + avgpool(node2)`;
const PARENT = `node1 = conv1x1(node0)
node2 = skip(node1)
node3 = skip(node2)`;

function code(reply: string): string {
  const result = extractCell(reply);
  if (!result.ok) throw new Error(`extraction failed: ${result.failure.message}`);
  return result.code;
}

function failure(reply: string): string {
  const result = extractCell(reply);
  if (result.ok) throw new Error(`expected an extraction failure, got:\n${result.code}`);
  expect(result.failure.reason).toBe('extraction');
  return result.failure.message;
}

const arch = (c: string) => {
  const parsed = parseCell(c);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.cell.arch;
};

describe('extractCell', () => {
  it('takes the cell from a ```python, ```text, bare or ~~~ fence with prose around it', () => {
    for (const fence of ['```python', '```text', '```', '~~~', '```nb201-cell']) {
      const close = fence.startsWith('~') ? '~~~' : '```';
      const reply = `Sure! Here is an improved cell.\n\n${fence}\n${CELL}\n${close}\n\nIt adds a residual path, which helps gradients.`;
      expect(code(reply)).toBe(CELL);
    }
  });

  it('takes unfenced node lines out of prose, also as a list or in inline backticks', () => {
    expect(code(`The new cell is:\n\n${CELL}\n\nThis should score higher.`)).toBe(CELL);
    const listed = CELL.split('\n').map((l, i) => `${i + 1}. \`${l}\``).join('\n');
    expect(arch(code(`Cell:\n${listed}\nDone.`))).toBe(arch(CELL));
    expect(arch(code(`- ${CELL.split('\n').join('\n- ')}`))).toBe(arch(CELL));
  });

  it('takes an arch string written inline in prose', () => {
    const a = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    expect(code(`I propose ${a} because it has many 3x3 convolutions.`)).toBe(a);
  });

  it('takes the last complete cell when several are given (parent first, answer last)', () => {
    const reply = `Original cell:\n\`\`\`python\n${PARENT}\n\`\`\`\n\nModified cell:\n\`\`\`python\n${CELL}\n\`\`\`\n`;
    expect(code(reply)).toBe(CELL);
    const unfenced = `Before:\n${PARENT}\n\nAfter:\n${CELL}\n`;
    expect(code(unfenced)).toBe(CELL);
  });

  it('does not let a one-line fragment after the answer hide it', () => {
    const reply = `\`\`\`python\n${CELL}\n\`\`\`\nThe key change is:\n\`\`\`python\nnode3 = skip(node0) + conv1x1(node1) + avgpool(node2)\n\`\`\`\n`;
    expect(code(reply)).toBe(CELL);
  });

  it('keeps comments inside the block (the compiler ignores them)', () => {
    const block = `# NAS-Bench-201 cell: node k = sum of op(node j) for j < k\n${CELL}`;
    expect(code(`\`\`\`python\n${block}\n\`\`\``)).toBe(block);
  });

  it('ignores <think> reasoning, including cells drafted in it', () => {
    const reply = `<think>Maybe\n${PARENT}\nno, better a deeper one.</think>\n\`\`\`python\n${CELL}\n\`\`\``;
    expect(code(reply)).toBe(CELL);
    expect(code(`thinking without an opening tag\n${PARENT}\n</think>\n${CELL}`)).toBe(CELL);
    expect(failure(`<think>I should use conv3x3 on every edge, but first`)).toContain('truncated inside a <think> reasoning block');
  });

  it('reads a completion-style reply that continues the prompt\'s open block', () => {
    expect(code(`${CELL}\n\`\`\`\n\nThis cell uses three kinds of operation.`)).toBe(CELL);
    // The stop sequence removed the closing fence.
    expect(code(`${CELL}\n`)).toBe(CELL);
  });

  it('accepts an unclosed final block whose cell is whole (the stop sequence ate the fence)', () => {
    expect(code(`Here it is:\n\`\`\`python\n${CELL}\n`)).toBe(CELL);
  });

  it('fails on a reply truncated inside a cell, naming what is missing or cut', () => {
    expect(failure(`\`\`\`python\nnode1 = conv3x3(node0)\nnode2 = skip(node1)\n`)).toBe(
      'the reply was truncated inside an unclosed code block: it defines node1 and node2 but not node3; raise maxTokens or ask for a shorter reply',
    );
    expect(failure(`\`\`\`python\nnode1 = conv3x3(node0)\nnode2 = skip(node1)\nnode3 = skip(node0) + conv1x1(no`)).toBe(
      'the reply was truncated inside an unclosed code block: its last line "node3 = skip(node0) + conv1x1(no" is cut off; raise maxTokens or ask for a shorter reply',
    );
    expect(failure(`The cell:\nnode1 = conv3x3(node0)\nnode2 = skip(node1) +`)).toContain('the reply was truncated: it defines node1 and node2 but not node3');
    expect(failure('My answer: |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_')).toContain('the reply was truncated');
  });

  it('never falls back to the parent when the answer after it was cut off', () => {
    const reply = `Original:\n\`\`\`python\n${PARENT}\n\`\`\`\nModified:\n\`\`\`python\nnode1 = conv3x3(node0)\n`;
    expect(failure(reply)).toContain('truncated inside an unclosed code block: it defines node1 but not node2 and node3');
    const cutAtFence = `Original:\n\`\`\`python\n${PARENT}\n\`\`\`\nModified:\n\`\`\`python\n`;
    expect(failure(cutAtFence)).toContain('ends inside an unclosed code block that holds no cell yet');
  });

  it('fails on an incomplete cell that is not at the end of the reply', () => {
    expect(failure(`\`\`\`python\nnode1 = conv3x3(node0)\nnode3 = skip(node1)\n\`\`\`\nThat is all.`)).toBe(
      'the cell in the reply is incomplete: it defines node1 and node3 but not node2; a cell needs one line for each of node1, node2 and node3',
    );
  });

  it('fails with the start of the reply when there is no cell at all', () => {
    expect(failure('I cannot help with designing this network, sorry.')).toBe(
      'no NAS-Bench-201 cell found in the reply: expected lines "node1 = op(node0)", "node2 = ...", "node3 = ..." (in a code block or not) or an arch string "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|"; the reply starts: "I cannot help with designing this network, sorry."',
    );
    expect(failure('```bash\npip install torch\n```')).toContain('no NAS-Bench-201 cell found');
    expect(failure('   \n')).toBe('the reply is empty: no cell to extract');
  });

  it('hands a complete but invalid cell to the compiler (which names the error)', () => {
    const bad = 'node1 = conv5x5(node0)\nnode2 = skip(node1)\nnode3 = skip(node2)';
    expect(code(`\`\`\`python\n${bad}\n\`\`\``)).toBe(bad);
  });

  it('handles CRLF line endings', () => {
    expect(arch(code(`\`\`\`python\r\n${CELL.replace(/\n/g, '\r\n')}\r\n\`\`\`\r\n`))).toBe(arch(CELL));
  });

  it('never throws, whatever the input', () => {
    const samples = ['```', '~~~~\n```', '|', '|~|+|', 'node1 =', '<think>', '</think>', 'node9 = x(node0)', '\u0000\uFEFF', '`'.repeat(10)];
    for (const s of samples) expect(() => extractCell(s)).not.toThrow();
  });
});
