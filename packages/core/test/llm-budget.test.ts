import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { LLMError } from '../src/llm/provider.js';
import { withBudget } from '../src/llm/budget.js';
import { ScriptedProvider } from './llm-scripted-provider.js';

const ask = { prompt: 'improve the network', temperature: 0.7 };

async function budgetError(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LLMError);
  expect((error as LLMError).kind).toBe('budget');
  expect((error as LLMError).fatal).toBe(true);
  return error as LLMError;
}

describe('withBudget', () => {
  it('counts calls, tokens and cost per answering model', async () => {
    const inner = new ScriptedProvider('coder', (_r, i) => ({ model: i % 2 === 0 ? 'coder' : 'coder-big', usage: { promptTokens: 100, completionTokens: 50 } }));
    const llm = withBudget(inner, {
      prices: { coder: { inputPerMillion: 1, outputPerMillion: 2 }, 'coder-big': { inputPerMillion: 10, outputPerMillion: 20 } },
    });
    for (let i = 0; i < 3; i++) await llm.generate(ask);
    const usage = llm.usage();
    expect(usage.calls).toBe(3);
    expect(usage.promptTokens).toBe(300);
    expect(usage.completionTokens).toBe(150);
    expect(usage.totalTokens).toBe(450);
    // coder: 2 calls x (100 x 1 + 50 x 2) / 1e6; coder-big: 1 call x (100 x 10 + 50 x 20) / 1e6.
    expect(usage.byModel.coder).toEqual({ calls: 2, promptTokens: 200, completionTokens: 100, cost: 0.0004 });
    expect(usage.byModel['coder-big']?.cost).toBeCloseTo(0.002, 12);
    expect(usage.cost).toBeCloseTo(0.0024, 12);
  });

  it('refuses the call after maxCalls with a fatal budget error, without calling the provider', async () => {
    const inner = new ScriptedProvider('coder');
    const llm = withBudget(inner, { maxCalls: 2 });
    await llm.generate(ask);
    await llm.generate(ask);
    const error = await budgetError(llm.generate(ask));
    expect(error.message).toContain('2 of 2 calls');
    expect(error.message).toContain('maxCalls');
    expect(inner.calls).toHaveLength(2);
  });

  it('counts calls in flight so that concurrent calls cannot pass maxCalls together', async () => {
    const inner = new ScriptedProvider('coder', async () => {
      await sleep(20);
      return { text: 'ok' };
    });
    const llm = withBudget(inner, { maxCalls: 3 });
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => llm.generate(ask)));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
    expect(inner.calls).toHaveLength(3);
  });

  it('refuses a call whose maxTokens would pass maxTokens, and any call once the cap is reached', async () => {
    const inner = new ScriptedProvider('coder', () => ({ usage: { promptTokens: 30, completionTokens: 40 } }));
    const llm = withBudget(inner, { maxTokens: 200 });
    await llm.generate({ ...ask, maxTokens: 50 }); // 70 used
    const tooBig = await budgetError(llm.generate({ ...ask, maxTokens: 150 })); // 70 + 150 > 200
    expect(tooBig.message).toContain('70 of 200 tokens');
    await llm.generate({ ...ask, maxTokens: 100 }); // 140 used
    await llm.generate(ask); // no maxTokens: allowed while under the cap, 210 used
    await budgetError(llm.generate(ask));
    expect(inner.calls).toHaveLength(3);
    expect(llm.usage().totalTokens).toBe(210);
  });

  it('enforces maxCost with the price of the answering model', async () => {
    const inner = new ScriptedProvider('gpt', () => ({ usage: { promptTokens: 1_000_000, completionTokens: 0 } }));
    const llm = withBudget(inner, { maxCost: 2.5, prices: { gpt: { inputPerMillion: 1, outputPerMillion: 4 } } });
    await llm.generate(ask);
    await llm.generate(ask);
    // $2 spent; 1M output tokens would cost $4 more.
    await budgetError(llm.generate({ ...ask, maxTokens: 1_000_000 }));
    await llm.generate(ask);
    const error = await budgetError(llm.generate(ask));
    expect(error.message).toContain('$3.0000 of $2.5');
    expect(llm.usage().cost).toBe(3);
  });

  it('counts failed calls against maxCalls', async () => {
    const inner = new ScriptedProvider('coder', () => {
      throw new LLMError('server down', 'server', false);
    });
    const llm = withBudget(inner, { maxCalls: 1 });
    await expect(llm.generate(ask)).rejects.toMatchObject({ kind: 'server' });
    await budgetError(llm.generate(ask));
    expect(llm.usage().calls).toBe(1);
  });

  it('starts from usage spent before a resume', async () => {
    const llm = withBudget(new ScriptedProvider('coder'), { maxCalls: 10, spent: { calls: 10, promptTokens: 5 } });
    await budgetError(llm.generate(ask));
    expect(llm.usage()).toMatchObject({ calls: 10, promptTokens: 5 });
  });

  it('requires a price for the model when maxCost is set', () => {
    expect(() => withBudget(new ScriptedProvider('gpt'), { maxCost: 1 })).toThrow(/prices\["gpt"\]/);
    expect(() => withBudget(new ScriptedProvider('gpt'), { maxCost: 1, prices: { '*': { inputPerMillion: 1, outputPerMillion: 1 } } })).not.toThrow();
    expect(() => withBudget(new ScriptedProvider('gpt'), { maxCalls: 0 })).toThrow(/maxCalls/);
  });

  it('passes check and close through to the provider', async () => {
    const inner = new ScriptedProvider('coder');
    const llm = withBudget(inner, {});
    await llm.check?.();
    await llm.close?.();
    expect([inner.checks, inner.closes]).toEqual([1, 1]);
    expect([llm.name, llm.model]).toEqual(['scripted', 'coder']);
  });
});
