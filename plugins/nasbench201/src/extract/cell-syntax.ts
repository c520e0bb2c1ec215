/**
 * Patterns for cell code in replies. Each is anchored or delimited so that it runs in time linear
 * in its input (no two quantifiers can share characters they both might take); the extraction
 * fuzz test (plugins/nasbench201/test/extract-fuzz.test.ts) holds them to it.
 */

/** A node line's start: `node2 =`. */
export const NODE_LINE = /^node(\d+)\s*=/i;

const TERM = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*\s*\(\s*node\d+\s*\)|node\d+)`;
/** A syntactically whole node line (not cut in the middle of a term). */
export const WHOLE_NODE_LINE = new RegExp(String.raw`^node\d+\s*=\s*${TERM}(?:\s*\+\s*${TERM})*$`, 'i');

/** `op~k|`: the `~` and `|` delimit the runs, so a failed match gives back little. */
const ARCH_TOKEN = String.raw`[A-Za-z0-9_]+~\d+\|`;
/** A whole arch string: 1, 2 and 3 tokens in its three groups. */
export const WHOLE_ARCH = new RegExp(String.raw`^\|(?:${ARCH_TOKEN}){1}\+\|(?:${ARCH_TOKEN}){2}\+\|(?:${ARCH_TOKEN}){3}$`);
/** An arch string (or a cut-off start of one) written inline in prose. */
export const ARCH_IN_TEXT = new RegExp(String.raw`\|(?:${ARCH_TOKEN})+(?:\+\|(?:${ARCH_TOKEN})*)*`, 'g');
