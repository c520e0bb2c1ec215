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
/** Modules whose import is only the LLM's habit: `tf` is passed to buildModel anyway. */
const TFJS_MODULE = /^@tensorflow\/tfjs(-[a-z-]+)?$/;

/**
 * Finds the `buildModel` program in an LLM reply. Handles fenced blocks (```js, ```javascript,
 * ```ts, or no language), replies with no fences, prose around the code, helper functions in
 * the same or in other blocks (kept and merged), example calls in separate blocks (dropped),
 * TypeScript annotations (stripped), `import`/`require` of TensorFlow.js and `export` keywords
 * (removed; `tf` is the first argument of buildModel). A reply that ends inside the code is
 * reported as truncated. Never throws.
 */
export function extractProgram(reply: string): Result<{ code: string }> {
  try {
    return extract(reply);
  } catch (error) {
    return fail('extraction', `could not extract the program: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function extract(reply: string): Result<{ code: string }> {
  if (reply.trim() === '') return fail('extraction', 'the reply is empty');
  const blocks = fencedBlocks(reply);
  if (blocks.length === 0) {
    return fromCandidates([{ language: '', body: stripProse(reply), unclosed: false, unfenced: true }]);
  }
  const scripts = blocks.filter((block) => JS_LANGUAGES.has(block.language));
  if (scripts.length === 0) {
    const languages = [...new Set(blocks.map((block) => block.language))].join(', ');
    return fail('extraction', `the reply has code blocks only in ${languages}; expected JavaScript defining buildModel`);
  }
  return fromCandidates(scripts);
}

/** Blocks between ``` fences; a final unclosed fence runs to the end of the reply. */
function fencedBlocks(reply: string): Block[] {
  const blocks: Block[] = [];
  const fence = /(^|\n)[ \t]*```[ \t]*([\w+#.-]*)[^\n]*\n/g;
  let match: RegExpExecArray | null;
  while ((match = fence.exec(reply)) !== null) {
    const start = match.index + match[0].length;
    const close = /(^|\n)[ \t]*```/g;
    close.lastIndex = start - 1;
    const end = close.exec(reply);
    const language = (match[2] ?? '').toLowerCase();
    if (!end) {
      blocks.push({ language, body: reply.slice(start), unclosed: true });
      break;
    }
    blocks.push({ language, body: reply.slice(start, end.index), unclosed: false });
    fence.lastIndex = end.index + end[0].length;
  }
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

function fromCandidates(blocks: Block[]): Result<{ code: string }> {
  const parsed = blocks.map(analyse);
  const mains = parsed.filter((entry) => entry.defines);
  if (mains.length === 0) {
    const truncated = parsed.find((entry) => entry.error?.atEnd);
    if (truncated) return truncation(truncated);
    return fail('extraction', 'no definition of buildModel(tf, { inputShape, numClasses }) found in the reply');
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
  let code = block.unfenced ? dropTrailingProse(block.body) : block.body;
  let result = tryParse(code);
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
    code = removeModuleSyntax(code, result.program);
    result = tryParse(code);
  }
  return {
    block,
    code,
    program: result.program,
    error: result.error,
    defines: /\bbuildModel\b\s*(=|\()/.test(code) && definesBuildModel(code, result.program),
  };
}

/**
 * For a reply without fences: while the text fails to parse before its end, cut it at the start
 * of the offending line (prose after the code), as long as what is left still defines buildModel.
 */
function dropTrailingProse(text: string): string {
  let code = text;
  for (let attempt = 0; attempt < 50; attempt++) {
    const { program, error } = tryParse(code);
    if (program !== null || error === null || error.atEnd || error.pos === null) return code;
    const lineStart = code.lastIndexOf('\n', error.pos - 1);
    if (lineStart <= 0) return code;
    const shorter = code.slice(0, lineStart);
    if (!/\bbuildModel\b/.test(shorter)) return code;
    code = shorter;
  }
  return code;
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
