/**
 * Issue 9, class 3: extraction runs in the coordinator, so a hostile reply must not stall it.
 * Property: for every hostile reply up to the reply cap, extractProgram returns a result (never
 * throws) within a generous per-input bound of CPU time that any super-linear step blows at this
 * size (CPU time, so that waiting for a core on a busy machine does not count).
 */
import { describe, expect, it } from 'vitest';
import { extractProgram } from '@llmatic/tfjs';
import { fill, fuzzExtraction, hostileReplies, MAX_FUZZ_CHARS, timedCall } from '../../../bench/hostile-replies.mjs';

/**
 * Per input of up to 200,000 characters. Linear extraction parses the code a few times (acorn,
 * sucrase): tens of ms at this size; the quadratic fence regex took seconds.
 */
const BOUND_MS = 250;
const RUNS = 25;

function check(reply: string): void {
  const { result, ms } = timedCall(extractProgram, reply, BOUND_MS);
  if (!result.ok) expect(result.failure.reason).toBe('extraction');
  expect(ms, `extractProgram took ${ms.toFixed(0)} ms of CPU on a ${reply.length}-character reply starting ${JSON.stringify(reply.slice(0, 60))}`).toBeLessThan(BOUND_MS);
}

describe('extractProgram on hostile replies', () => {
  for (const [name, replies] of Object.entries(hostileReplies)) {
    it(`returns a result within ${BOUND_MS} ms of CPU per reply: ${name}`, () => {
      const outcome = fuzzExtraction(extractProgram, replies, { numRuns: RUNS, boundMs: BOUND_MS });
      expect(outcome.failure).toBeUndefined();
      expect(outcome.runs).toBe(RUNS);
    });
  }

  it('stays linear on the inputs that were quadratic', () => {
    const n = MAX_FUZZ_CHARS;
    check(`\`\`\`${'a'.repeat(n - 3)}`);
    check(`Here:\n\`\`\`js${'a'.repeat(n - 10)}`);
    check('`'.repeat(n));
    check(fill('`\n```\n', n)); // 28,000 one-character blocks
  });

  it('refuses more code than it parses, naming the limit and the fix', () => {
    const BUILD = 'function buildModel(tf) {\n  return tf.sequential();\n}\n';
    const blocks = fill(`\`\`\`js\n${BUILD}\`\`\`\n`, 51 * (BUILD.length + 10));
    expect(extractProgram(blocks)).toEqual({
      ok: false,
      failure: { reason: 'extraction', message: 'the reply has 51 JavaScript code blocks, more than the 50 extraction parses; ask for one program in one ```js block' },
    });
    const body = `${BUILD}${'// more\n'.repeat(7_000)}`;
    const long = `\`\`\`js\n${body}\`\`\`\n`;
    expect(extractProgram(long)).toEqual({
      ok: false,
      failure: {
        reason: 'extraction',
        // The newline before the closing fence is not code.
        message: `the reply has ${(body.length - 1).toLocaleString('en-US')} characters of JavaScript in its code blocks, more than the 50,000 extraction parses; ask for one shorter program in a \`\`\`js block`,
      },
    });
    // Long prose that never names buildModel is simply not a program.
    expect(extractProgram(fill('Here is some thinking about networks. ', 60_000))).toEqual({
      ok: false,
      failure: { reason: 'extraction', message: 'no definition of buildModel(tf, { inputShape, numClasses }) found in the reply' },
    });
  });

  it('refuses a reply over the cap at once, saying how long it is and what to do', () => {
    const reply = `\`\`\`js\nfunction buildModel(tf) {\n${' '.repeat(MAX_FUZZ_CHARS)}`;
    const { result, ms } = timedCall(extractProgram, reply, BOUND_MS);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(result).toEqual({
      ok: false,
      failure: {
        reason: 'extraction',
        message: `the reply is ${reply.length.toLocaleString('en-US')} characters long, more than the 200,000 extraction reads; lower the config's maxTokens, or check that the LLM server honours it`,
      },
    });
  });
});
