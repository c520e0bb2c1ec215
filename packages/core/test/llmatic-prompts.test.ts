/** The prompt side of LLMatic: credit, temperature adaptation and the prompt archive's niches. */
import { describe, expect, it } from 'vitest';
import { ArchivePromptPool, Rng, promptGridCentroids, type PromptIndividual } from '@llmatic/core';
import { ask, createStrategy, evaluate, generation, llmProposal, promptIndividuals } from './support/llmatic-harness.js';

const paper = (options: Parameters<typeof createStrategy>[0] = {}) => createStrategy({ preset: 'paper', ...options });

const credit = (overrides: Partial<Parameters<ArchivePromptPool['credit']>[1]> = {}) => ({
  offspringId: 'g1-0',
  temperature: 0.6,
  curiosity: 1,
  good: true,
  improved: null,
  step: 0.05,
  range: [0.1, 1] as const,
  ...overrides,
});

const stored = (pool: ArchivePromptPool): PromptIndividual[] =>
  pool.archive().elites().map((e) => e.payload as PromptIndividual);

describe('prompt archive', () => {
  it('has a niche per (instruction, temperature bin): no two instructions share a niche', () => {
    const pool = ArchivePromptPool.create(16, 6, 1);
    expect(pool.archive().niches).toBe(96);
    for (let id = 0; id < 16; id++) pool.credit({ individual: { promptId: id, temperature: 0.6, nextTemperature: 0.6, curiosity: 0, fitness: 0, origin: 'fresh' } }, credit({ offspringId: `o${id}` }));
    expect(new Set(pool.archive().elites().map((e) => e.niche)).size).toBe(16);
    expect(promptGridCentroids(2, 2)).toEqual([
      [0.25, 0.25],
      [0.25, 0.75],
      [0.75, 0.25],
      [0.75, 0.75],
    ]);
  });

  it('stores a fresh individual with the temperature it used and the adapted next temperature', () => {
    const pool = ArchivePromptPool.create(16, 6, 1);
    const fresh = { promptId: 3, temperature: 0.6, nextTemperature: 0.6, curiosity: 0, fitness: 0, origin: 'fresh' };
    pool.credit({ individual: fresh }, credit({ temperature: 0.62, good: false, curiosity: -0.5 }));
    expect(stored(pool)).toEqual([{ promptId: 3, temperature: 0.62, nextTemperature: 0.57, curiosity: -0.5, fitness: 0, origin: 'g1-0' }]);
  });

  it('accumulates curiosity and collective fitness on the stored individual, which keeps the temperature it used', () => {
    const pool = ArchivePromptPool.create(16, 6, 1);
    pool.credit({ individual: { promptId: 3, temperature: 0.6, nextTemperature: 0.6, curiosity: 0, fitness: 0, origin: 'fresh' } }, credit());
    const [elite] = pool.archive().elites();
    const choice = { individual: { ...(elite?.payload as PromptIndividual) }, niche: elite?.niche ?? -1 };
    pool.credit(choice, credit({ offspringId: 'g2-0', temperature: 0.64, curiosity: -1, good: false }));
    pool.credit(choice, credit({ offspringId: 'g2-1', temperature: 0.58, curiosity: 1, good: true }));
    expect(stored(pool)).toEqual([{ promptId: 3, temperature: 0.58, nextTemperature: 0.63, curiosity: 1, fitness: 2, origin: 'g1-0' }]);
    expect(pool.archive().elites()[0]?.fitness).toBe(2);
  });

  it('a temperature in another bin credits the individual and starts a new one there with only that result', () => {
    const pool = ArchivePromptPool.create(16, 6, 1);
    pool.credit({ individual: { promptId: 3, temperature: 0.6, nextTemperature: 0.6, curiosity: 0, fitness: 0, origin: 'fresh' } }, credit());
    const [elite] = pool.archive().elites();
    const choice = { individual: { ...(elite?.payload as PromptIndividual) }, niche: elite?.niche ?? -1 };
    pool.credit(choice, credit({ offspringId: 'g2-0', temperature: 0.95, curiosity: 1, good: true }));
    const byOrigin = new Map(stored(pool).map((i) => [i.origin, i]));
    expect(byOrigin.get('g1-0')).toMatchObject({ temperature: 0.6, curiosity: 2, fitness: 2, nextTemperature: 1 });
    expect(byOrigin.get('g2-0')).toEqual({ promptId: 3, temperature: 0.95, nextTemperature: 1, curiosity: 1, fitness: 1, origin: 'g2-0' });
  });

  it('credit reaches only the individual that made the network: a replaced one does not pass its result to its successor', () => {
    const pool = ArchivePromptPool.create(16, 6, 1);
    const first = { promptId: 5, temperature: 0.6, nextTemperature: 0.6, curiosity: 0, fitness: 0, origin: 'fresh' };
    pool.credit({ individual: first }, credit({ good: false, curiosity: -1 }));
    const [old] = pool.archive().elites();
    const oldChoice = { individual: { ...(old?.payload as PromptIndividual) }, niche: old?.niche ?? -1 };
    // Another individual takes the niche (fitter), then the old one's pending result arrives.
    pool.credit({ individual: first }, credit({ offspringId: 'g1-1', good: true, curiosity: 1 }));
    expect(stored(pool)[0]?.origin).toBe('g1-1');
    pool.credit(oldChoice, credit({ offspringId: 'g2-0', good: false, curiosity: -0.5 }));
    expect(stored(pool)).toEqual([{ promptId: 5, temperature: 0.6, nextTemperature: 0.65, curiosity: 1, fitness: 1, origin: 'g1-1' }]);
  });

  it('feeds the instruction bandit only with children whose parent fitness is known', () => {
    const pool = ArchivePromptPool.create(4, 2, 1);
    const individual = { promptId: 2, temperature: 0.6, nextTemperature: 0.6, curiosity: 0, fitness: 0, origin: 'fresh' };
    pool.credit({ individual }, credit({ improved: null }));
    pool.credit({ individual }, credit({ offspringId: 'a', improved: true }));
    pool.credit({ individual }, credit({ offspringId: 'b', improved: false }));
    const { bandit } = pool.snapshot();
    expect(bandit[2]).toEqual({ trials: 2, improvements: 1 });
    expect(bandit.filter((r) => r.trials > 0)).toHaveLength(1);
  });

  it('chooses by the bandit: the instruction that keeps improving its parents is chosen most', () => {
    const pool = ArchivePromptPool.create(16, 6, 1);
    const individual = (promptId: number) => ({ promptId, temperature: 0.6, nextTemperature: 0.6, curiosity: 0, fitness: 0, origin: 'fresh' });
    for (let id = 0; id < 16; id++) {
      for (let k = 0; k < 20; k++) pool.credit({ individual: individual(id) }, credit({ offspringId: `${id}-${k}`, improved: id === 7 ? k % 2 === 0 : k === 0 }));
    }
    const rng = Rng.fromSeed(1);
    const picks = Array.from({ length: 1000 }, () => pool.choose('bandit', rng, 0.6).individual.promptId);
    expect(picks.filter((id) => id === 7).length).toBeGreaterThan(900);
    // Without evidence every instruction gets its turn.
    const fresh = ArchivePromptPool.create(16, 6, 1);
    expect(new Set(Array.from({ length: 400 }, () => fresh.choose('bandit', rng, 0.6).individual.promptId)).size).toBe(16);
  });
});

describe('LLMatic: credit from runs', () => {
  it('counts a child as good when it is at least as good as the previous generation best (ties count)', () => {
    const s = paper({ initThreshold: 1, mutationProbability: 1 });
    generation(s, 0, 3, (j) => [100, 500, 300][j] ?? null);
    const before = new Map(promptIndividuals(s).map((i) => [i.origin, i.fitness]));
    // Previous best is 0.5: 0.5 is good, 0.499 is not, even though it beats the generation's other child.
    const next = ask(s, 1, 2);
    s.tell(evaluate(next, (j) => (j === 0 ? 500 : 499)));
    const fitnessGained = promptIndividuals(s).reduce((sum, i) => sum + i.fitness, 0) - [...before.values()].reduce((a, b) => a + b, 0);
    expect(fitnessGained).toBe(1);
  });

  it('keeps the previous best when a generation has no valid child, and restores it on resume', () => {
    const s = paper({ initThreshold: 1, mutationProbability: 1 });
    generation(s, 0, 2, (j) => (j === 0 ? 500 : 100));
    generation(s, 1, 2, () => null);
    const copy = paper({ initThreshold: 1, mutationProbability: 1 });
    copy.restore(JSON.parse(JSON.stringify(s.snapshot())));
    for (const strategy of [s, copy]) {
      const total = () => promptIndividuals(strategy).reduce((sum, i) => sum + i.fitness, 0);
      const before = total();
      const next = ask(strategy, 2, 1);
      strategy.tell(evaluate(next, () => 499));
      expect(total()).toBe(before);
    }
  });

  it('charges an untrainable child -1 curiosity and moves its temperature down', () => {
    const s = paper({ initThreshold: 1 });
    const { statuses } = generation(s, 0, 3, () => null);
    expect(statuses).toEqual(['failed', 'failed', 'failed']);
    for (const individual of promptIndividuals(s)) {
      expect(individual.curiosity).toBe(-1);
      expect(individual.nextTemperature).toBeCloseTo(0.55, 9);
    }
  });

  it('gives crossover children no prompt credit', () => {
    const s = paper({ mutationProbability: 0 });
    generation(s, 0, 40, (j) => j * 23 + 5);
    const before = JSON.stringify(promptIndividuals(s));
    const asked = ask(s, 1, 20);
    expect(asked.proposals.every((p) => llmProposal(p).operator === 'crossover')).toBe(true);
    s.tell(evaluate(asked, () => 999));
    expect(JSON.stringify(promptIndividuals(s))).toBe(before);
  });
});

describe('LLMatic: curiosity by fate', () => {
  it('+1 when the child entered the archive, -0.5 when rejected, -1 when untrainable (network-archive-only: one shared score)', () => {
    const s = paper({ ablation: 'network-archive-only', initThreshold: 100 });
    const asked = ask(s, 0, 3);
    expect(s.tell(evaluate(asked, (j) => [505, 504, null][j] ?? null))).toEqual(['new', 'rejected', 'failed']);
    const { prompts } = s.snapshot() as { prompts: { sharedScore: number; members: unknown[] } };
    expect(prompts.members).toHaveLength(100);
    expect(prompts.sharedScore).toBe(1 - 0.5 - 1);
  });
});
