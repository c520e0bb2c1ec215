/**
 * Simulated code LLMs for NAS-Bench-201, for measuring search quality (benchmarks and tests,
 * never the product). Each reads the parent cell(s) and the instruction from the request,
 * answers with a cell the way its kind of model would, and breaks a configurable share of its
 * replies the ways LLMs break code. Replies are deterministic in (request, temperature, seed),
 * so resumed runs get the replies the interrupted ones would have got.
 *
 * - `instruction-following`: does what the instruction asks (add a conv -> a conv appears, delete
 *   a layer -> an operation goes, ...), with one extra random edit more often at higher temperature.
 * - `edit-only`: one small random edit per reply, whatever was asked.
 * - `whole-rewrite`: rewrites the cell, each edge redrawn with probability one half.
 * Crossover requests: per-edge mix of the two parents (edit-only: an edit of the first parent).
 */
import { Rng } from '@llmatic/core';
import {
  CELL_CROSSOVER_INSTRUCTION,
  CELL_MUTATIONS,
  CELL_OP_NAMES,
  NB201_OPS,
  formatArch,
  printCell,
  type Nb201Op,
} from '@llmatic/nasbench201';
import type { ReplyRequest } from '../../doubles/llm-double.js';
import { parentsIn } from '../nb201-llm-double.js';
import { INSTRUCTION_EDITS, randomEdit } from './nb201-instructions.js';

export const SIMULATED_LLM_KINDS = ['instruction-following', 'edit-only', 'whole-rewrite'] as const;
export type SimulatedLLMKind = (typeof SIMULATED_LLM_KINDS)[number];

export interface SimulatedLLMOptions {
  /** Share of replies that are broken (prose only, an unknown op, truncated). Default 0.1. */
  broken?: number;
}

const DEFAULT_CELL: Nb201Op[] = ['skip_connect', 'none', 'skip_connect', 'none', 'none', 'skip_connect'];

function requestText(request: Pick<ReplyRequest, 'prompt' | 'messages'>): string {
  return request.prompt ?? request.messages?.filter((m) => m.role !== 'system').map((m) => m.content).join('\n') ?? '';
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h | 0;
}

/** The instruction's name, from its text in the request (undefined: crossover or unknown). */
function instructionIn(text: string): string | undefined {
  return CELL_MUTATIONS.find((m) => text.includes(m.text))?.name;
}

function mix(a: readonly Nb201Op[], b: readonly Nb201Op[], rng: Rng): Nb201Op[] {
  return a.map((op, i) => (rng.chance(0.5) ? op : (b[i] ?? op)));
}

function edited(kind: SimulatedLLMKind, text: string, rng: Rng, temperature: number): Nb201Op[] {
  const parents = parentsIn(text);
  const cell = [...(parents[0] ?? DEFAULT_CELL)];
  if (kind === 'edit-only') {
    randomEdit(cell, rng);
    return cell;
  }
  if (kind === 'whole-rewrite') return cell.map((op) => (rng.chance(0.5) ? rng.pick(NB201_OPS) : op));
  if (text.includes(CELL_CROSSOVER_INSTRUCTION) && parents[1]) return mix(cell, parents[1], rng);
  const name = instructionIn(text);
  const apply = name ? INSTRUCTION_EDITS[name] : undefined;
  if (!apply || !apply(cell, rng)) randomEdit(cell, rng);
  // Sampling noise: hotter replies stray more from what was asked.
  if (rng.chance(0.4 * temperature)) randomEdit(cell, rng);
  return cell;
}

/** A broken reply, one of the ways code models fail; undefined when this reply is not broken. */
function broken(rng: Rng, share: number, cell: Nb201Op[]): string | undefined {
  if (!rng.chance(share)) return undefined;
  const roll = rng.int(0, 2);
  if (roll === 0) return 'Sure! To improve the network I would add more convolutions and perhaps a residual path.';
  if (roll === 1) return '```python\nnode1 = conv5x5(node0)\nnode2 = conv3x3(node0) + skip(node1)\nnode3 = skip(node2)\n```';
  return `Here is the cell:\n\`\`\`python\n${printCell(cell).split('\n').slice(0, 2).join('\n')}\nnode2 = conv3x3(`;
}

function format(cell: Nb201Op[], rng: Rng): string {
  if (rng.chance(0.1)) return `The new architecture is ${formatArch(cell)}.`;
  const names = cell.map((op) => CELL_OP_NAMES[op]).join(', ');
  return `Here is the new cell (${names}):\n\n\`\`\`python\n${printCell(cell)}\n\`\`\`\n\nIt follows the request.`;
}

/** A reply function for the protocol doubles (and in-process providers) of the given kind. */
export function simulatedLLM(kind: SimulatedLLMKind, options: SimulatedLLMOptions = {}): (request: Pick<ReplyRequest, 'prompt' | 'messages' | 'temperature' | 'seed'>) => string {
  const share = options.broken ?? 0.1;
  return (request) => {
    const text = requestText(request);
    const temperature = request.temperature ?? 0.7;
    const rng = Rng.derive(hash(text), kind, Math.round(temperature * 1000), request.seed ?? 0);
    const cell = edited(kind, text, rng, temperature);
    return broken(rng, share, cell) ?? format(cell, rng);
  };
}
