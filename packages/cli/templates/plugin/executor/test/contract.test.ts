import { fail, type Evaluator } from '@llmatic/core';
import { describeExecutorContract } from '@llmatic/testkit';
import { cellFlops, nasBench201Space, type NasBench201Cell } from '@llmatic/nasbench201';
import { describe, expect, it } from 'vitest';
import { {{factory}} } from '../src/index.js';

const space = nasBench201Space({ dataset: 'cifar10' });

/** Scores a cell by its FLOPs, so the tests need no benchmark table; waits `delayMs` first. */
function flopsEvaluator(delayMs = 0): Evaluator<NasBench201Cell> {
  return {
    name: 'flops',
    evaluate: async (cell, { signal }) => {
      await new Promise<void>((done, failed) => {
        const timer = setTimeout(done, delayMs);
        signal?.addEventListener('abort', () => (clearTimeout(timer), failed(signal.reason)), { once: true });
      });
      if (!Array.isArray(cell?.ops)) return fail('evaluation', 'not a NAS-Bench-201 cell');
      const flops = cellFlops(cell.ops, 'cifar10');
      return { ok: true, fitness: -flops, metrics: { flops } };
    },
  };
}

const pipeline = (delayMs = 0) => ({ space, evaluator: flopsEvaluator(delayMs), descriptors: space.descriptors });

describeExecutorContract('{{factory}}', {
  create: () => {{factory}}({ pipeline: pipeline(), timeoutMs: 30_000 }),
  valid: [space.seed],
  invalid: ['not a cell at all'],
  descriptors: space.descriptors.length,
});

describe('{{factory}}', () => {
  it('records a job over its time limit as a timeout', async () => {
    const executor = {{factory}}({ pipeline: pipeline(60_000), timeoutMs: 50 });
    const result = await executor.run({ candidateId: 'slow', code: space.seed });
    expect(result.ok ? 'ok' : result.failure.reason).toBe('timeout');
    await executor.close();
  });

  it('rejects a time limit that is not a positive integer', () => {
    expect(() => {{factory}}({ pipeline: pipeline(), timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
