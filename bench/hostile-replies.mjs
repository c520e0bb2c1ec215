// Hostile LLM replies for the extraction fuzz tests (plugins/*/test/extract-fuzz.test.ts) and the
// extraction bench: fast-check arbitraries that build large inputs out of the shapes that make
// regex-based text scanning super-linear. Plain JavaScript, so that the bench (plain node, built
// packages) and the tests (vitest, sources) share one set.
import fc from 'fast-check';

/** The largest reply generated: as long as the extractors' reply cap allows. */
export const MAX_FUZZ_CHARS = 200_000;

/** `unit` repeated and cut to `length` characters. */
export function fill(unit, length) {
  if (unit.length === 0 || length <= 0) return '';
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** A length, uniform up to `max`: most inputs are large, which is where super-linear time shows. */
const length = (max = MAX_FUZZ_CHARS) => fc.integer({ min: 1, max });

/** A short unit built from `pieces`, repeated to a large size. */
const repeated = (pieces, max = MAX_FUZZ_CHARS) =>
  fc
    .tuple(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 }), length(max))
    .map(([unit, size]) => fill(unit.join(''), size));

const prose = fc.lorem({ maxCount: 30, mode: 'sentences' });
const fenceOpeners = ['```', '````', '~~~', '```js', '```python', '```ts', '  ```', '```\t', '``` js x'];
const noNewline = ['a', 'ab ', ' ', '\t', '`', '``', '~', '-', '.', '|', '+', '#', '_', '\u2028', '\u00e9', 'node1', '('];

/** A fence opened and never closed, then a long run without a newline (the quadratic case of issue 9). */
const unterminatedFence = fc
  .tuple(prose, fc.constantFrom(...fenceOpeners), fc.boolean(), repeated(noNewline, MAX_FUZZ_CHARS - 2_000))
  .map(([before, fence, newline, run]) => `${before}\n${fence}${newline ? '\n' : ''}${run}`);

/** One very long line of characters that fences, arch strings and tags are made of. */
const longLine = repeated(noNewline);

/** A long run of one character, then a short tail that breaks the pattern the run started. */
const runThenBreak = fc
  .tuple(fc.constantFrom('`', '~', ' ', '|', 'a', '1', '<think>', 'node1 + ', '|a~1', '{', '('), fc.constantFrom(...noNewline, '\n', '', 'x\n```'), length())
  .map(([run, tail, size]) => fill(run, size - tail.length) + tail);

/** Runs of backticks and tildes of every length, with or without newlines between them. */
const manyBackticks = repeated(['`', '```', '````````', '~~~', '\n', ' ', 'js', '\n```\n', 'x']);

/** Fences inside fences, longer and shorter, closed in the wrong order or not at all. */
const nestedFences = fc
  .tuple(fc.array(fc.constantFrom(...fenceOpeners, '`````', '~~~~'), { minLength: 1, maxLength: 6 }), fc.boolean(), length())
  .map(([fences, close, size]) => {
    const opened = fences.map((fence) => `${fence}\nnode1 = conv3x3(node0)\nfunction buildModel(tf) {\n`).join('');
    const closed = close ? fences.map((fence) => fence.trim().replace(/[^`~]/g, '')).reverse().join('\n') : '';
    return fill(`${opened}${closed}\n`, size);
  });

/** Pages of prose, with the list markers, inline code and stray symbols prose has. */
const hugeProse = fc
  .tuple(prose, fc.constantFrom('', '- ', '1. ', '`x` ', '# ', '> '), length())
  .map(([text, marker, size]) => fill(`${marker}${text}\n`, size));

/** Reasoning tags opened and closed in every order. */
const reasoningTags = fc.oneof(
  repeated(['<think>', '</think>', '<thinking>', '</thinking>', 'x', '\n', '<', 'think>']),
  repeated(['<think>', '<thinking>', 'x', '\n']),
);

/** Pieces of cells: node lines, terms and arch tokens, whole or cut. */
const cellFragments = repeated([
  'node1 = ',
  'node3 = skip(node0) + ',
  'conv3x3(node1)',
  ' + ',
  'node2',
  '\n',
  '|nor_conv_3x3~0',
  '|',
  '~1|',
  '+|',
  'avg_pool_3x3~2|',
  '# ',
  '- `',
  '`',
]);

/** Pieces of JavaScript: definitions, unbalanced brackets, strings, comments, TypeScript. */
const codeFragments = repeated([
  'function buildModel(tf, { inputShape, numClasses }) {\n',
  'const x = tf.layers.dense({ units: 8 }).apply(x);\n',
  '{',
  '}',
  '(',
  '"',
  "'",
  '`${',
  '/*',
  '//',
  ': number',
  'export ',
  "import * as tf from '@tensorflow/tfjs';\n",
  '\n',
  'buildModel = ',
]);

/** A reply made of several of the above, one after another. */
const parts = [unterminatedFence, longLine, runThenBreak, manyBackticks, nestedFences, hugeProse, reasoningTags, cellFragments, codeFragments];
const mixed = fc
  .array(fc.oneof(...parts), { minLength: 2, maxLength: 4 })
  .map((pieces) => pieces.join('\n').slice(0, MAX_FUZZ_CHARS));

/** Every family of hostile replies, by name. */
export const hostileReplies = {
  unterminatedFence,
  longLine,
  runThenBreak,
  manyBackticks,
  nestedFences,
  hugeProse,
  reasoningTags,
  cellFragments,
  codeFragments,
  mixed,
};

const isResult = (value) =>
  value !== null &&
  typeof value === 'object' &&
  ((value.ok === true && typeof value.code === 'string') ||
    (value.ok === false && value.failure?.reason === 'extraction' && typeof value.failure.message === 'string'));

/**
 * Fuzzes one extractor with one family of hostile replies: each reply must give an extraction
 * result (a program, or an `extraction` failure), never an exception, within `boundMs` of CPU.
 * Stops at the first failure without shrinking (shrinking re-runs slow 200k inputs for minutes)
 * and describes it in one line. Returns the replies tried, the slowest call, and the failure.
 */
export function fuzzExtraction(extract, replies, { numRuns, boundMs, seed }) {
  let runs = 0;
  let worstMs = 0;
  let characters = 0;
  const property = fc.property(replies, (reply) => {
    const { result, ms } = timedCall(extract, reply, boundMs);
    runs += 1;
    characters += reply.length;
    worstMs = Math.max(worstMs, ms);
    const start = JSON.stringify(reply.slice(0, 60));
    if (!isResult(result)) throw new Error(`not an extraction result: ${JSON.stringify(result)?.slice(0, 200)} for a reply starting ${start}`);
    if (ms > boundMs) throw new Error(`took ${ms.toFixed(0)} ms of CPU (bound ${boundMs}) on a ${reply.length}-character reply starting ${start}`);
  });
  const details = fc.check(property, { numRuns, endOnFailure: true, ...(seed === undefined ? {} : { seed }) });
  const failure = details.failed
    ? `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)} (fast-check seed ${details.seed})`
    : undefined;
  return { runs, characters, worstMs, failure };
}

/** CPU time of this process in ms: what a call costs, not how long the scheduler kept it waiting. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs `extract(reply)` and returns its result and the CPU time it took (time spent waiting for
 * a core on a busy machine does not count). A call over `boundMs` is run again (up to three
 * times) and the cheapest kept: super-linear work is costly every time, while a call that shared
 * its process with a garbage collection or a JIT compile need not be.
 */
export function timedCall(extract, reply, boundMs) {
  let best = Number.POSITIVE_INFINITY;
  let result;
  for (let attempt = 0; attempt < 3 && best > boundMs; attempt++) {
    const start = cpuMs();
    result = extract(reply);
    best = Math.min(best, cpuMs() - start);
  }
  return { result, ms: best };
}
