/**
 * Replies of a protocol-level LLM double for NAS-Bench-201 runs: it reads the parent cell(s) from
 * the prompt and answers like a code model does, mostly with an edited cell (fenced, with prose
 * around it, sometimes as an arch string), sometimes broken in the ways LLMs break code (prose
 * only, an unknown op, a truncated reply). Deterministic in the request, so a resumed run gets the
 * replies the interrupted one would have got (the request's seed stands in for sampling).
 */
import { Rng } from '@llmatic/core';
import { CELL_OP_NAMES, formatArch, mutateOps, parseArch, parseCell, printCell, type Nb201Op } from '@llmatic/nasbench201';
import type { ReplyRequest } from '../doubles/llm-double.js';

function requestText(request: ReplyRequest): string {
  return request.prompt ?? request.messages?.filter((m) => m.role !== 'system').map((m) => m.content).join('\n') ?? '';
}

/** Parent cells found in the prompt: fenced blocks or arch strings that parse. */
export function parentsIn(text: string): Nb201Op[][] {
  const parents: Nb201Op[][] = [];
  for (const block of text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const parsed = parseCell(block[1] ?? '');
    if (parsed.ok) parents.push([...parsed.cell.ops]);
  }
  if (parents.length === 0) {
    for (const arch of text.matchAll(/\|[a-z_0-9]+~0\|\+\|[^\s]+\|/g)) {
      const parsed = parseArch(arch[0]);
      if (parsed.ok) parents.push([...parsed.cell.ops]);
    }
  }
  return parents;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h | 0;
}

export function nb201Reply(request: ReplyRequest): string {
  const text = requestText(request);
  const rng = Rng.derive(hash(text), 'reply', Math.round((request.temperature ?? 0) * 1000), request.seed ?? 0);
  const parents = parentsIn(text);
  const first = parents[0] ?? (['skip_connect', 'none', 'skip_connect', 'none', 'none', 'skip_connect'] as Nb201Op[]);
  let ops: Nb201Op[] =
    parents.length > 1 ? first.map((op, i) => (rng.chance(0.5) ? op : (parents[1]?.[i] ?? op))) : mutateOps(first, rng);
  if (rng.chance(0.3)) ops = mutateOps(ops, rng);
  const roll = rng.float();
  if (roll < 0.08) return 'Sure! To improve the network I would add more convolutions and maybe a residual path.';
  if (roll < 0.12) return '```python\nnode1 = conv5x5(node0)\nnode2 = conv3x3(node0) + skip(node1)\nnode3 = skip(node2)\n```';
  if (roll < 0.16) return `Here is the cell:\n\`\`\`python\n${printCell(ops).split('\n').slice(0, 2).join('\n')}\nnode2 = conv3x3(`;
  if (roll < 0.26) return `The new architecture is ${formatArch(ops)}.`;
  const names = ops.map((op) => CELL_OP_NAMES[op]).join(', ');
  return `Here is an improved cell (${names}):\n\n\`\`\`python\n${printCell(ops)}\n\`\`\`\n\nIt keeps the input path and changes one edge.`;
}
