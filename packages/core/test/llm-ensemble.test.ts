import { describe, expect, it } from 'vitest';
import { ensemble } from '../src/llm/ensemble.js';
import { ScriptedProvider } from './llm-scripted-provider.js';

const ask = { prompt: 'mutate', temperature: 0.7 };

function members(weights: number[]): { provider: ScriptedProvider; weight: number }[] {
  return weights.map((weight, i) => ({ provider: new ScriptedProvider(`m${i}`), weight }));
}

describe('ensemble', () => {
  it('spreads calls in proportion to the weights and reports the answering model', async () => {
    const llm = ensemble(members([3, 1, 0]), { seed: 7 });
    const models: string[] = [];
    for (let i = 0; i < 400; i++) models.push((await llm.generate(ask)).model);
    const count = (m: string): number => models.filter((x) => x === m).length;
    // Binomial(400, 0.75): mean 300, sd ~8.7; these bounds are ~5 sd wide.
    expect(count('m0')).toBeGreaterThan(255);
    expect(count('m0')).toBeLessThan(345);
    expect(count('m1')).toBe(400 - count('m0'));
    expect(count('m2')).toBe(0);
    expect(llm.picks()).toEqual({ m0: count('m0'), m1: count('m1') });
  });

  it('makes the same choices for the same seed, and others for another seed', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const llm = ensemble(members([1, 1]), { seed });
      const out: string[] = [];
      for (let i = 0; i < 32; i++) out.push((await llm.generate(ask)).model);
      return out;
    };
    expect(await run(1)).toEqual(await run(1));
    expect(await run(1)).not.toEqual(await run(2));
  });

  it('chooses by the request seed regardless of call order', async () => {
    const seeds = Array.from({ length: 24 }, (_, i) => i);
    const pick = async (order: number[]): Promise<Map<number, string>> => {
      const llm = ensemble(members([1, 1, 1]), { seed: 3 });
      const out = new Map<number, string>();
      for (const seed of order) out.set(seed, (await llm.generate({ ...ask, seed })).model);
      return out;
    };
    const forward = await pick(seeds);
    const backward = await pick([...seeds].reverse());
    expect(forward).toEqual(backward);
    expect(new Set(forward.values()).size).toBe(3);
  });

  it('spreads seeded requests by weight too', async () => {
    const llm = ensemble(members([2, 1]), { seed: 5 });
    let first = 0;
    for (let seed = 0; seed < 300; seed++) if ((await llm.generate({ ...ask, seed })).model === 'm0') first++;
    // Binomial(300, 2/3): mean 200, sd ~8.2; these bounds are ~5 sd wide.
    expect(first).toBeGreaterThan(160);
    expect(first).toBeLessThan(240);
  });

  it('fills in the member model when a provider reports none', async () => {
    const silent = new ScriptedProvider('named', () => ({ model: '' }));
    const result = await ensemble([{ provider: silent, weight: 1 }], { seed: 1 }).generate(ask);
    expect(result.model).toBe('named');
  });

  it('checks and closes every member', async () => {
    const list = members([1, 2]);
    const llm = ensemble(list, { seed: 1 });
    await llm.check?.();
    await llm.close?.();
    expect(list.map((m) => [m.provider.checks, m.provider.closes])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(llm.model).toBe('ensemble(m0,m1)');
  });

  it('rejects empty member lists, bad weights and bad seeds with the fix', () => {
    expect(() => ensemble([], { seed: 1 })).toThrow(/at least one/);
    expect(() => ensemble(members([-1]), { seed: 1 })).toThrow(/weight -1/);
    expect(() => ensemble(members([0, 0]), { seed: 1 })).toThrow(/all weights are 0/);
    expect(() => ensemble(members([1]), { seed: 1.5 })).toThrow(/seed/);
  });
});
