import { parse, type Node, type Program } from 'acorn';
import { fail, type Result } from '@llmatic/core';
import { transform } from 'sucrase';

/** A fenced block of an LLM reply. */
interface Block {
  language: string;
  body: string;
  /** The closing fence is missing: the reply ended inside the block. */
  unclosed: boolean;
  /** The reply had no fences; the block is the whole reply and may end in prose. */
  unfenced?: boolean;
}

const JS_LANGUAGES = new Set(['', 'js', 'javascript', 'jsx', 'mjs', 'cjs', 'node', 'ts', 'typescript', 'tsx', 'es6']);
const TS_LANGUAGES = new Set(['ts', 'typescript', 'tsx']);
/**
 * The longest reply extraction reads, in UTF-16 code units: about 50,000 tokens, far past any
 * sensible `maxTokens`. Extraction runs in the coordinator: a runaway reply must not hold it up.
 */
export const MAX_REPLY_CHARS = 200_000;
/**
 * The most text extraction hands to the JavaScript parsers (acorn, sucrase), over all the code
 * blocks of a reply: ten times a large network definition. Parsing is linear, but costly on
 * hostile code (~4 µs a character: 200,000 backticks took 0.2 s in acorn and 0.45 s in sucrase).
 */
export const MAX_CODE_CHARS = 50_000;
/**
 * The most code blocks extraction parses. Each parse has a fixed cost (a thrown SyntaxError, for
 * one), so 30,000 one-line blocks took half a second; replies hold a handful.
 */
export const MAX_CODE_BLOCKS = 50;

const count = (n: number) => n.toLocaleString('en-US');
/** Modules whose import is only the LLM's habit: `tf` is passed to buildModel anyway. */
const TFJS_MODULE = /^@tensorflow\/tfjs(-[a-z-]+)?$/;

/**
 * Finds the `buildModel` program in an LLM reply. Handles fenced blocks (```js, ```javascript,
 * ```ts, or no language), replies with no fences, prose around the code, helper functions in
 * the same or in other blocks (kept and merged), example calls in separate blocks (dropped),
 * TypeScript annotations (stripped), `import`/`require` of TensorFlow.js and `export` keywords
 * (removed; `tf` is the first argument of buildModel). A reply that ends inside the code is
 * reported as truncated. Never throws. Refuses, with an `extraction` failure that says so, a reply
 * over {@link MAX_REPLY_CHARS} and more code than {@link MAX_CODE_CHARS} or
 * {@link MAX_CODE_BLOCKS}: extraction runs in the coordinator, in time linear in the reply.
 */
export function extractProgram(reply: string): Result<{ code: string }> {
  try {
    return extract(reply);
  } catch (error) {
    return fail('extraction', `could not extract the program: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function extract(reply: string): Result<{ code: string }> {
  if (reply.length > MAX_REPLY_CHARS) {
    return fail(
      'extraction',
      `the reply is ${count(reply.length)} characters long, more than the ${count(MAX_REPLY_CHARS)} extraction reads; lower the config's maxTokens, or check that the LLM server honours it`,
    );
  }
  if (reply.trim() === '') return fail('extraction', 'the reply is empty');
  const blocks = fencedBlocks(reply);
  if (blocks.length === 0) {
    const body = stripProse(reply);
    return codeTooLong(body.length, reply, 'text without a code fence') ?? fromCandidates([{ language: '', body, unclosed: false, unfenced: true }]);
  }
  const scripts = blocks.filter((block) => JS_LANGUAGES.has(block.language));
  if (scripts.length === 0) {
    const languages = [...new Set(blocks.map((block) => block.language))].join(', ');
    return fail('extraction', `the reply has code blocks only in ${languages}; expected JavaScript defining buildModel`);
  }
  if (scripts.length > MAX_CODE_BLOCKS) {
    return fail(
      'extraction',
      `the reply has ${count(scripts.length)} JavaScript code blocks, more than the ${MAX_CODE_BLOCKS} extraction parses; ask for one program in one \`\`\`js block`,
    );
  }
  const total = scripts.reduce((sum, block) => sum + block.body.length, 0);
  return codeTooLong(total, reply, 'JavaScript in its code blocks') ?? fromCandidates(scripts);
}

/** A failure when there is more code to parse than {@link MAX_CODE_CHARS}. */
function codeTooLong(length: number, reply: string, what: string): Result<{ code: string }> | undefined {
  if (length <= MAX_CODE_CHARS) return undefined;
  // Prose that never names buildModel cannot define it, however long it is.
  if (!reply.includes('buildModel')) return fail('extraction', NO_DEFINITION);
  return fail(
    'extraction',
    `the reply has ${count(length)} characters of ${what}, more than the ${count(MAX_CODE_CHARS)} extraction parses; ask for one shorter program in a \`\`\`js block`,
  );
}

/**
 * A line that opens a fence: ``` and a language. Nothing follows the language in the pattern, so
 * it cannot backtrack (`[\w+#.-]*[^\n]*\n` after a fence took quadratic time on a reply that
 * opens a fence and runs on without a newline).
 */
const FENCE_OPEN = /^[ \t]*```[ \t]*([\w+#.-]*)/;
/** A line that closes a fence: ``` first, whatever follows. */
const FENCE_CLOSE = /^[ \t]*```/;

/**
 * Blocks between ``` fences; a final unclosed fence runs to the end of the reply. One pass over
 * the lines. An opening line must end with a newline; any line starting with ``` closes.
 */
function fencedBlocks(reply: string): Block[] {
  const blocks: Block[] = [];
  let open: { language: string; start: number } | undefined;
  let lineStart = 0;
  while (lineStart <= reply.length) {
    const newline = reply.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? reply.length : newline;
    const line = reply.slice(lineStart, lineEnd);
    if (!open) {
      const match = newline < 0 ? null : FENCE_OPEN.exec(line);
      if (match) open = { language: (match[1] ?? '').toLowerCase(), start: lineEnd + 1 };
    } else if (FENCE_CLOSE.test(line)) {
      // The body ends before the newline that precedes the closing fence.
      blocks.push({ language: open.language, body: reply.slice(open.start, Math.max(open.start, lineStart - 1)), unclosed: false });
      open = undefined;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  if (open) blocks.push({ language: open.language, body: reply.slice(open.start), unclosed: true });
  return blocks;
}

/** For a reply without fences: drop prose lines before the first line that starts code. */
function stripProse(reply: string): string {
  const lines = reply.split('\n');
  const codeStart = /^\s*(\/\/|\/\*|(async\s+)?function\b|const\b|let\b|var\b|class\b|import\b|export\b|'use strict'|"use strict")/;
  const first = lines.findIndex((line) => codeStart.test(line));
  return first < 0 ? reply : lines.slice(first).join('\n');
}

interface Parsed {
  block: Block;
  code: string;
  program: Program | null;
  error: SyntaxErrorInfo | null;
  defines: boolean;
}

interface SyntaxErrorInfo {
  message: string;
  atEnd: boolean;
  pos: number | null;
}

const NO_DEFINITION = 'no definition of buildModel(tf, { inputShape, numClasses }) found in the reply';

function fromCandidates(blocks: Block[]): Result<{ code: string }> {
  const parsed = blocks.map(analyse);
  const mains = parsed.filter((entry) => entry.defines);
  if (mains.length === 0) {
    const truncated = parsed.find((entry) => entry.error?.atEnd);
    if (truncated) return truncation(truncated);
    return fail('extraction', NO_DEFINITION);
  }
  // The last complete definition wins: LLMs often restate a corrected version at the end.
  const main = [...mains].reverse().find((entry) => entry.program !== null) ?? (mains.at(-1) as Parsed);
  if (main.program === null) {
    if (main.error?.atEnd || main.block.unclosed) return truncation(main);
    // A genuine syntax error: hand the code on, the compiler reports it with its position.
    return { ok: true, code: main.code.trim() + '\n' };
  }
  const declared = topLevelNames(main.program);
  const helpers: string[] = [];
  for (const entry of parsed) {
    if (entry === main || entry.defines || entry.program === null) continue;
    if (!onlyDeclarations(entry.program)) continue; // usage examples, tests, prose in a block
    const names = topLevelNames(entry.program);
    if ([...names].some((name) => declared.has(name))) continue;
    for (const name of names) declared.add(name);
    helpers.push(entry.code.trim());
  }
  const code = [...helpers, main.code.trim()].join('\n\n') + '\n';
  return { ok: true, code };
}

function truncation(entry: Parsed): Result<{ code: string }> {
  const opened = (entry.code.match(/\{/g) ?? []).length - (entry.code.match(/\}/g) ?? []).length;
  const braces = opened > 0 ? ` (${opened} unclosed '{')` : '';
  return fail(
    'extraction',
    `the code is truncated: it ends before it is complete${braces}; the reply was probably cut off by the token limit`,
  );
}

function analyse(block: Block): Parsed {
  let { code, result } = block.unfenced ? dropTrailingProse(block.body) : { code: block.body, result: tryParse(block.body) };
  // TypeScript, labelled or not: strip the annotations and try again.
  if (result.program === null && (TS_LANGUAGES.has(block.language) || !result.error?.atEnd)) {
    const stripped = stripTypes(code);
    if (stripped !== null) {
      const again = tryParse(stripped);
      if (again.program !== null) {
        code = stripped;
        result = again;
      }
    }
  }
  if (result.program !== null) {
    const bare = removeModuleSyntax(code, result.program);
    if (bare !== code) {
      code = bare;
      result = tryParse(code);
    }
  }
  return {
    block,
    code,
    program: result.program,
    error: result.error,
    defines: /\bbuildModel\b\s*(=|\()/.test(code) && definesBuildModel(code, result.program),
  };
}

type ParseOutcome = ReturnType<typeof tryParse>;

/**
 * For a reply without fences: while the text fails to parse before its end, cut it at the start
 * of the offending line (prose after the code), as long as what is left still defines buildModel.
 * Returns the code kept and its parse. At most 50 cuts and 3 x MAX_CODE_CHARS parsed, so hostile
 * text that fails one line earlier each time costs no more than a few parses.
 */
function dropTrailingProse(text: string): { code: string; result: ParseOutcome } {
  let code = text;
  let result = tryParse(code);
  let parsed = code.length;
  for (let attempt = 0; attempt < 50 && parsed <= 3 * MAX_CODE_CHARS; attempt++) {
    const { program, error } = result;
    if (program !== null || error === null || error.atEnd || error.pos === null) break;
    const lineStart = code.lastIndexOf('\n', error.pos - 1);
    if (lineStart <= 0) break;
    const shorter = code.slice(0, lineStart);
    if (!/\bbuildModel\b/.test(shorter)) break;
    code = shorter;
    result = tryParse(code);
    parsed += code.length;
  }
  return { code, result };
}

function tryParse(code: string): { program: Program | null; error: SyntaxErrorInfo | null } {
  try {
    return { program: parse(code, { ecmaVersion: 'latest', sourceType: 'module' }), error: null };
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    const message = error instanceof Error ? error.message : String(error);
    const atEnd =
      (typeof pos === 'number' && code.slice(pos).trim() === '') || /^Unterminated/.test(message);
    return { program: null, error: { message, atEnd, pos: typeof pos === 'number' ? pos : null } };
  }
}

function stripTypes(code: string): string | null {
  try {
    return transform(code, { transforms: ['typescript'], disableESTransforms: true }).code;
  } catch {
    return null;
  }
}

/** Without a parse tree (syntax error), fall back to the text. */
function definesBuildModel(code: string, program: Program | null): boolean {
  if (program === null) return /(function\s+buildModel\b|\bbuildModel\s*=)/.test(code);
  return topLevelNames(program).has('buildModel');
}

function topLevelNames(program: Program): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) {
    const node = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
      ? (statement.declaration as Node | null)
      : statement;
    if (!node) continue;
    if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && 'id' in node && node.id) {
      names.add((node.id as { name: string }).name);
    }
    if (node.type === 'VariableDeclaration' && 'declarations' in node) {
      for (const declarator of node.declarations as { id: Node }[]) {
        if (declarator.id.type === 'Identifier') names.add((declarator.id as unknown as { name: string }).name);
      }
    }
  }
  return names;
}

/** True when a block only declares things (helpers), with no top-level calls or expressions. */
function onlyDeclarations(program: Program): boolean {
  return program.body.every(
    (statement) =>
      statement.type === 'FunctionDeclaration' ||
      statement.type === 'ClassDeclaration' ||
      statement.type === 'VariableDeclaration' ||
      statement.type === 'ImportDeclaration' ||
      statement.type === 'ExportNamedDeclaration' ||
      statement.type === 'ExportDefaultDeclaration' ||
      (statement.type === 'ExpressionStatement' && 'directive' in statement),
  );
}

/**
 * Removes `import ... from '@tensorflow/tfjs'`, `const tf = require('@tensorflow/tfjs')` and
 * `export` keywords. Imports of anything else stay, so the compiler refuses them as what they
 * are: an attempt to load a module.
 */
function removeModuleSyntax(code: string, program: Program): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration' && TFJS_MODULE.test(String(statement.source.value))) {
      edits.push({ start: statement.start, end: statement.end, text: '' });
    } else if (statement.type === 'VariableDeclaration' && requiresTfjsOnly(statement)) {
      edits.push({ start: statement.start, end: statement.end, text: '' });
    } else if (statement.type === 'ExportNamedDeclaration' && statement.declaration) {
      edits.push({ start: statement.start, end: statement.declaration.start, text: '' });
    } else if (statement.type === 'ExportNamedDeclaration') {
      edits.push({ start: statement.start, end: statement.end, text: '' }); // export { buildModel };
    } else if (statement.type === 'ExportDefaultDeclaration') {
      const declaration = statement.declaration as Node & { id?: unknown };
      const named = (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id;
      if (named) edits.push({ start: statement.start, end: declaration.start, text: '' });
      else if (declaration.type === 'Identifier') edits.push({ start: statement.start, end: statement.end, text: '' });
      else edits.push({ start: statement.start, end: declaration.start, text: 'const buildModel = ' });
    }
  }
  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

function requiresTfjsOnly(statement: Node & { declarations?: unknown }): boolean {
  const declarations = statement.declarations as { init?: Node | null }[] | undefined;
  if (!declarations || declarations.length === 0) return false;
  return declarations.every((declarator) => {
    const init = declarator.init as (Node & { callee?: Node & { name?: string }; arguments?: (Node & { value?: unknown })[] }) | null | undefined;
    return (
      init?.type === 'CallExpression' &&
      init.callee?.type === 'Identifier' &&
      init.callee.name === 'require' &&
      init.arguments?.length === 1 &&
      TFJS_MODULE.test(String(init.arguments[0]?.value))
    );
  });
}
