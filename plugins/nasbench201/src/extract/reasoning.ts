/** Where reasoning tags stand in a reply: `<think>`, `<thinking>` and their closing tags. */
const TAG = /<(\/?)think(?:ing)?>/gi;

/**
 * The reply without its reasoning, or `undefined` when it ends inside an unclosed `<think>` block.
 *
 * - `<think>...</think>` blocks are removed (an opening tag pairs with the next closing tag);
 * - some models omit the opening tag: everything up to the first unpaired closing tag is reasoning.
 *
 * One pass over the tags, so linear in the reply's length (a lazy `<think>[\s\S]*?</think>` regex
 * scans to the end from every unclosed opening tag: quadratic).
 */
export function stripReasoning(text: string): string | undefined {
  let kept = '';
  let from = 0;
  let openAt = -1;
  let lonelyCloseSeen = false;
  for (const tag of text.matchAll(TAG)) {
    const at = tag.index;
    const closing = tag[1] === '/';
    if (!closing) {
      if (openAt < 0) openAt = at; // an opening tag inside an open block is reasoning too
    } else if (openAt >= 0) {
      kept += text.slice(from, openAt);
      from = at + tag[0].length;
      openAt = -1;
    } else if (!lonelyCloseSeen) {
      lonelyCloseSeen = true;
      kept = '';
      from = at + tag[0].length;
    }
  }
  if (openAt >= 0) return undefined;
  return kept + text.slice(from);
}
