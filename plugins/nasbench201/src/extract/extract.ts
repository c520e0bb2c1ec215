import { fail, type Result } from '@llmatic/core';
import { looksLikeArch } from '../cell/arch.js';
import { stripComment } from '../cell/parse.js';
import { ARCH_IN_TEXT, NODE_LINE, WHOLE_ARCH, WHOLE_NODE_LINE } from './cell-syntax.js';
import { fencedBlocks } from './fences.js';
import { stripReasoning } from './reasoning.js';
import { MAX_REPLY_CHARS, replyTooLong } from './reply-limit.js';

/** One place in a reply that holds (part of) a cell. */
interface Candidate {
  code: string;
  /** Nodes the candidate defines (arch strings: the node groups they have). */
  nodes: Set<number>;
  /** The last statement is syntactically whole (not cut in the middle of a term). */
  lastStatementWhole: boolean;
  lastStatement: string;
  /** The reply ends inside this candidate (an unclosed code block, or a run at the very end). */
  endsReply: boolean;
  /** Where it was found, for messages. */
  where: 'code block' | 'text';
}

const ALL_NODES = [1, 2, 3];

function describeCandidate(lines: readonly string[], endsReply: boolean, where: Candidate['where']): Candidate | undefined {
  const statements = lines.map(stripComment).filter((s) => s !== '');
  const nodes = new Set<number>();
  let hasCell = false;
  for (const s of statements) {
    const node = NODE_LINE.exec(s);
    if (node) {
      nodes.add(Number(node[1]));
      hasCell = true;
    } else if (looksLikeArch(s)) {
      hasCell = true;
      const groups = s.split('+').length;
      for (let g = 1; g <= Math.min(groups, 3); g++) nodes.add(g);
    }
  }
  if (!hasCell) return undefined;
  const lastStatement = statements.at(-1) ?? '';
  const lastStatementWhole = looksLikeArch(lastStatement)
    ? WHOLE_ARCH.test(lastStatement)
    : WHOLE_NODE_LINE.test(lastStatement);
  return { code: lines.join('\n').trim(), nodes, lastStatementWhole, lastStatement, endsReply, where };
}

const definesAll = (c: Candidate) => ALL_NODES.every((n) => c.nodes.has(n));
const truncated = (c: Candidate) => c.endsReply && (!definesAll(c) || !c.lastStatementWhole);

/** A line of prose-embedded code without list markers or wrapping backticks. */
function unwrap(line: string): string {
  const withoutMarker = line.replace(/^\s*(?:[-*+•]\s+|\d+[.)]\s+)/, '');
  const ticked = /^\s*`([^`]*)`\s*$/.exec(withoutMarker);
  return (ticked ? (ticked[1] ?? '') : withoutMarker).trim();
}

/** Runs of node lines outside code blocks, plus arch strings written inline in prose. */
function unfencedCandidates(lines: readonly string[]): { at: number; candidate: Candidate }[] {
  const found: { at: number; candidate: Candidate }[] = [];
  const lastContent = lines.reduce((last, line, i) => (line.trim() !== '' ? i : last), -1);
  let i = 0;
  while (i < lines.length) {
    const line = unwrap(lines[i] ?? '');
    if (!NODE_LINE.test(line)) {
      i++;
      continue;
    }
    const run: string[] = [];
    let lastNodeLine = i;
    let j = i;
    for (; j < lines.length; j++) {
      const l = unwrap(lines[j] ?? '');
      if (NODE_LINE.test(l)) {
        run.push(l);
        lastNodeLine = j;
      } else if (l === '' || l.startsWith('#') || l.startsWith('//')) {
        run.push(l);
      } else {
        break;
      }
    }
    const kept = run.slice(0, lastNodeLine - i + 1);
    const candidate = describeCandidate(kept, lastNodeLine >= lastContent, 'text');
    if (candidate) found.push({ at: i, candidate });
    i = j;
  }
  lines.forEach((line, index) => {
    if (NODE_LINE.test(unwrap(line))) return;
    for (const match of line.matchAll(ARCH_IN_TEXT)) {
      const arch = match[0];
      const rest = line.slice((match.index ?? 0) + arch.length);
      // A partial token right after the match (`...|nor_`) means the reply was cut inside it.
      const endsReply = index >= lastContent && /^[A-Za-z0-9_~]*\s*$/.test(rest);
      const candidate = describeCandidate([arch], endsReply, 'text');
      if (candidate) found.push({ at: index + (match.index ?? 0) / (line.length + 1), candidate });
    }
  });
  return found.sort((a, b) => a.at - b.at);
}

function nodeList(nodes: Iterable<number>): string {
  const names = [...nodes].sort((a, b) => a - b).map((n) => `node${n}`);
  if (names.length === 0) return 'no node';
  return names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

function missing(c: Candidate): string {
  return nodeList(ALL_NODES.filter((n) => !c.nodes.has(n)));
}

const shorten = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}...` : s);

/**
 * Finds the cell program in an LLM reply. Never throws.
 *
 * - Reasoning in `<think>...</think>` is ignored.
 * - Code blocks (```python, ```text, ``` or ~~~) are preferred; without any block holding a
 *   cell, runs of `nodeK = ...` lines in the text are used (list markers and inline backticks
 *   removed), and so are arch strings written inline.
 * - With several candidates, the **last complete one** is taken (replies usually show the
 *   parent or a draft first and the answer last); a fragment after it (one changed line) does not
 *   hide it.
 * - A reply that ends inside a cell or an unclosed code block was truncated: that is an
 *   `extraction` failure even if an earlier cell (often the parent) is complete, since taking
 *   the earlier one would silently return the parent.
 * - A reply over {@link MAX_REPLY_CHARS} is refused unread. Below it, the time taken is linear
 *   in the reply's length (test/extract-fuzz.test.ts holds it to that on hostile replies).
 */
export function extractCell(reply: string): Result<{ code: string }> {
  const tooLong = replyTooLong(reply);
  if (tooLong) return tooLong;
  const normalised = reply.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (normalised.trim() === '') return fail('extraction', 'the reply is empty: no cell to extract');
  const text = stripReasoning(normalised);
  if (text === undefined) {
    return fail(
      'extraction',
      'the reply was truncated inside a <think> reasoning block, before any cell was written; raise maxTokens or use a model that reasons less',
    );
  }
  const lines = text.split('\n');
  const blocks = fencedBlocks(lines);
  let candidates: Candidate[] = [];
  for (const block of blocks) {
    const candidate = describeCandidate(block.lines, !block.closed, 'code block');
    if (candidate) candidates.push(candidate);
  }
  const finalBlock = blocks.at(-1);
  if (finalBlock && !finalBlock.closed) {
    const last = candidates.at(-1);
    const finalIsCandidate = last !== undefined && last.endsReply;
    if (!finalIsCandidate) {
      return fail(
        'extraction',
        'the reply was truncated: it ends inside an unclosed code block that holds no cell yet; raise maxTokens or ask for a shorter reply',
      );
    }
  }
  if (candidates.length === 0) candidates = unfencedCandidates(lines).map((f) => f.candidate);
  const last = candidates.at(-1);
  if (!last) {
    return fail(
      'extraction',
      `no NAS-Bench-201 cell found in the reply: expected lines "node1 = op(node0)", "node2 = ...", "node3 = ..." (in a code block or not) or an arch string "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|"; the reply starts: "${shorten(text.trim())}"`,
    );
  }
  if (truncated(last)) {
    const inBlock = last.where === 'code block' ? ' inside an unclosed code block' : '';
    const what = definesAll(last)
      ? `its last line "${shorten(last.lastStatement)}" is cut off`
      : `it defines ${nodeList(last.nodes)} but not ${missing(last)}`;
    return fail(
      'extraction',
      `the reply was truncated${inBlock}: ${what}; raise maxTokens or ask for a shorter reply`,
    );
  }
  const chosen = [...candidates].reverse().find((c) => definesAll(c) && !truncated(c));
  if (!chosen) {
    return fail(
      'extraction',
      `the cell in the reply is incomplete: it defines ${nodeList(last.nodes)} but not ${missing(last)}; a cell needs one line for each of node1, node2 and node3`,
    );
  }
  return { ok: true, code: chosen.code };
}
