/**
 * Issue 9, class 3: extraction runs in the coordinator, so a hostile reply must not stall it.
 * Property: for every hostile reply up to the reply cap, extractCell returns a result (never
 * throws) within a generous per-input bound of CPU time that any super-linear step blows at this
 * size (CPU time, so that waiting for a core on a busy machine does not count).
 */
import { describe, expect, it } from 'vitest';
import { extractCell } from '@llmatic/nasbench201';
import { fill, fuzzExtraction, hostileReplies, MAX_FUZZ_CHARS, timedCall } from '../../../bench/hostile-replies.mjs';

/** Per input of up to 200,000 characters. Linear extraction takes a few ms; the quadratic fence regex took seconds. */
const BOUND_MS = 250;
const RUNS = 40;

function check(reply: string): void {
  const { result, ms } = timedCall(extractCell, reply, BOUND_MS);
  if (!result.ok) expect(result.failure.reason).toBe('extraction');
  expect(ms, `extractCell took ${ms.toFixed(0)} ms of CPU on a ${reply.length}-character reply starting ${JSON.stringify(reply.slice(0, 60))}`).toBeLessThan(BOUND_MS);
}

describe('extractCell on hostile replies', () => {
  for (const [name, replies] of Object.entries(hostileReplies)) {
    it(`returns a result within ${BOUND_MS} ms of CPU per reply: ${name}`, () => {
      const outcome = fuzzExtraction(extractCell, replies, { numRuns: RUNS, boundMs: BOUND_MS });
      expect(outcome.failure).toBeUndefined();
      expect(outcome.runs).toBe(RUNS);
    });
  }

  it('stays linear on the inputs that were quadratic', () => {
    const n = MAX_FUZZ_CHARS;
    check(`\`\`\`${'a'.repeat(n - 3)}`);
    check(`Here:\n\`\`\`python ${'ab '.repeat((n - 20) / 3)}`);
    check(fill('<think>', n));
    check(`${'`'.repeat(n - 1)}\u2028`);
    check(`${'~'.repeat(n - 2)}\u2028x`);
  });

  it('refuses a reply over the cap at once, saying how long it is and what to do', () => {
    const reply = `\`\`\`python\nnode1 = conv3x3(node0)\n${'x'.repeat(MAX_FUZZ_CHARS)}`;
    const { result, ms } = timedCall(extractCell, reply, BOUND_MS);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(result).toEqual({
      ok: false,
      failure: {
        reason: 'extraction',
        message: `the reply is ${(MAX_FUZZ_CHARS + 33).toLocaleString('en-US')} characters long, more than the 200,000 extraction reads; lower the config's maxTokens, or check that the LLM server honours it`,
      },
    });
  });

  it('still finds the cell in a reply of exactly the cap', () => {
    const cell = 'node1 = conv3x3(node0)\nnode2 = skip(node1)\nnode3 = skip(node2)';
    const answer = `\n\`\`\`python\n${cell}\n\`\`\`\n`;
    const reply = fill('Some long reasoning. ', MAX_FUZZ_CHARS - answer.length) + answer;
    expect(reply).toHaveLength(MAX_FUZZ_CHARS);
    expect(extractCell(reply)).toEqual({ ok: true, code: cell });
  });
});
