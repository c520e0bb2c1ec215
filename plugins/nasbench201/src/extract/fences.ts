import { NODE_LINE } from './cell-syntax.js';

/** A fenced code block of a reply, as its lines. */
export interface Block {
  lines: string[];
  closed: boolean;
}

/**
 * A fence (``` or ~~~, three or more, up to three spaces in). Nothing follows the run in the
 * pattern, so it cannot backtrack: the rest of the line is read with string methods.
 */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The fence on this line and the text after it, if the line starts with one. */
function fenceOf(line: string): { fence: string; rest: string } | undefined {
  const match = FENCE.exec(line);
  if (!match?.[1]) return undefined;
  return { fence: match[1], rest: line.slice(match[0].length) };
}

/** The fence that opens a block on this line, if it opens one. */
function opening(line: string): string | undefined {
  const found = fenceOf(line);
  // A backtick fence's info string holds no backtick (CommonMark): "```a```" is inline code.
  if (!found || (found.fence.startsWith('`') && found.rest.includes('`'))) return undefined;
  return found.fence;
}

/** True when the line closes a block opened by `fence`: the same character, at least as many. */
function closes(line: string, fence: string): boolean {
  const found = fenceOf(line);
  return found !== undefined && found.fence[0] === fence[0] && found.fence.length >= fence.length && found.rest.trim() === '';
}

/**
 * A completion-style reply continues a block the prompt opened: it starts with node lines, and
 * its first fence line (bare, no info string) closes that block. Returns that block's fence.
 */
function continuedFence(lines: readonly string[]): string | undefined {
  const index = lines.findIndex((line) => FENCE.test(line));
  const first = index >= 0 ? fenceOf(lines[index] ?? '') : undefined;
  if (!first || first.rest.trim() !== '') return undefined;
  return lines.slice(0, index).some((line) => NODE_LINE.test(line.trim())) ? first.fence : undefined;
}

/**
 * Fenced code blocks (``` or ~~~, any info string). Hand-written rather than a Markdown
 * library because truncation matters here: Markdown parsers silently close an unclosed block.
 * One pass over the lines.
 */
export function fencedBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  const continued = continuedFence(lines);
  let open: { fence: string; lines: string[] } | undefined = continued ? { fence: continued, lines: [] } : undefined;
  for (const line of lines) {
    if (!open) {
      const fence = opening(line);
      if (fence) open = { fence, lines: [] };
    } else if (closes(line, open.fence)) {
      blocks.push({ lines: open.lines, closed: true });
      open = undefined;
    } else {
      open.lines.push(line);
    }
  }
  if (open) blocks.push({ lines: open.lines, closed: false });
  return blocks;
}
