import { describe, expect, it } from 'vitest';
import { CVTArchive, PRESET_VALUES, type Proposal } from '@llmatic/core';
import {
  ask,
  createStrategy,
  evaluate,
  generation,
  llmProposal,
  promptIndividuals,
} from './support/llmatic-harness.js';
import { toySpace } from './support/toy-space.js';

const paper = (options: Parameters<typeof createStrategy>[0] = {}) => createStrategy({ preset: 'paper', ...options });

/** 40 elites in 40 niches: value j*23+5 (fitness rising with j). */
const spread = (j: number) => j * 23 + 5;

describe('LLMatic (paper preset): warm-up', () => {
  it('mutates the seed with random prompts at temperature 0.6 until 10 elites', () => {
    const s = paper();
    const { proposals } = generation(s, 0, 20, (j) => (j % 5) * 150 + 1);
    for (const p of proposals) expect(p).toMatchObject({ kind: 'llm', operator: 'mutation', parents: ['seed'], temperature: 0.6 });
    expect(new Set(proposals.map((p) => llmProposal(p).promptId)).size).toBeGreaterThan(5);
    expect(s.archives().networks?.size).toBe(5);
    // Five elites are fewer than 10: the next generation still warms up from the seed.
    expect(ask(s, 1, 20).proposals.every((p) => p.parents[0] === 'seed')).toBe(true);
  });

  it('ends after 10 elites: parents are elites', () => {
    const s = paper();
    generation(s, 0, 40, spread);
    const next = ask(s, 1, 50).proposals;
    expect(next.every((p) => p.parents.every((id) => id.startsWith('g0-')))).toBe(true);
  });

  it('cannot stall: after maxWarmup offspring without 10 elites, parents widen to the elites found', () => {
    const s = paper({ maxWarmup: 30 });
    // Every child lands in one of 3 niches: the archive never reaches 10 elites.
    generation(s, 0, 20, (j) => 100 + (j % 3));
    const more = generation(s, 1, 20, (j) => 100 + (j % 3));
    // Warm-up offspring 21..30 still mutate the seed; from the 31st on, parents are elites.
    expect(more.proposals.slice(0, 10).every((p) => p.parents[0] === 'seed')).toBe(true);
    expect(more.proposals.slice(10).every((p) => p.parents.every((id) => /^g[01]-/.test(id)))).toBe(true);
    expect(PRESET_VALUES.paper.maxWarmup).toBe(200);
  });

  it('keeps the seed as the only parent while no child is valid, and records failures as failures', () => {
    const s = paper({ initThreshold: 1, maxWarmup: 5 });
    const { statuses } = generation(s, 0, 10, () => null);
    expect(statuses).toEqual(Array(10).fill('failed'));
    expect(s.archives().networks?.size).toBe(0);
    expect(ask(s, 1, 10).proposals.every((p) => p.parents[0] === 'seed')).toBe(true);
  });
});

describe('LLMatic (paper preset): offspring', () => {
  it('mixes mutation (p = 0.7) and crossover at temperature 0.7 of two distinct elites', () => {
    const s = paper();
    generation(s, 0, 40, spread);
    const proposals = ask(s, 1, 1000).proposals;
    const crossovers = proposals.filter((p) => p.operator === 'crossover');
    expect(crossovers.length / proposals.length).toBeGreaterThan(0.26);
    expect(crossovers.length / proposals.length).toBeLessThan(0.34);
    for (const p of crossovers) {
      expect(p.parents).toHaveLength(2);
      expect(p.parents[0]).not.toBe(p.parents[1]);
      expect(llmProposal(p).temperature).toBe(0.7);
      expect(llmProposal(p).promptId).toBeUndefined();
    }
  });

  it('picks mutation parents uniformly among elites', () => {
    const s = paper({ mutationProbability: 1 });
    generation(s, 0, 40, spread);
    const counts = new Map<string, number>();
    for (const p of ask(s, 1, 4000).proposals) counts.set(p.parents[0] ?? '', (counts.get(p.parents[0] ?? '') ?? 0) + 1);
    const size = s.archives().networks?.size ?? 0;
    expect(counts.size).toBe(size);
    // Uniform: each of ~40 elites about 100 times; the fittest is not favoured.
    for (const n of counts.values()) expect(n).toBeLessThan((4000 / size) * 1.5);
  });

  it('crossover (paper): each generation a pool of 10 random elites, each paired with one of its 2-3 nearest', () => {
    const s = paper({ mutationProbability: 0 });
    generation(s, 0, 40, spread);
    const archive = s.archives().networks as CVTArchive<{ id: string }>;
    const byId = new Map(archive.elites().map((e) => [e.payload.id, e]));
    const first = ask(s, 1, 300).proposals;
    const pool = new Set(first.map((p) => p.parents[0]));
    expect(pool.size).toBe(10);
    for (const p of first) {
      const parent = byId.get(p.parents[0] ?? '');
      if (!parent) throw new Error('first parent is not an elite');
      const nearest = archive.nearest(parent.descriptors, 3, parent.niche).map((e) => e.payload.id);
      expect(nearest).toContain(p.parents[1]);
    }
    // Mates come from the 2 nearest for some children and the 3 nearest for others.
    const third = first.filter((p) => {
      const parent = byId.get(p.parents[0] ?? '');
      return parent && archive.nearest(parent.descriptors, 3, parent.niche)[2]?.payload.id === p.parents[1];
    });
    expect(third.length).toBeGreaterThan(10);
    expect(third.length).toBeLessThan(first.length / 3);
    // Another generation draws another pool.
    const second = new Set(ask(s, 2, 300).proposals.map((p) => p.parents[0]));
    expect(second).not.toEqual(pool);
  });

  it('takes the most curious prompt individual for half of the mutations, a random instruction for the rest', () => {
    const s = paper({ mutationProbability: 1, initThreshold: 1 });
    // One warm-up child per generation: one prompt individual gathers curiosity.
    const first = generation(s, 0, 1, () => 505);
    const curious = llmProposal(first.proposals[0]).promptId;
    const proposals = ask(s, 1, 3200).proposals;
    const share = proposals.filter((p) => llmProposal(p).promptId === curious).length / proposals.length;
    expect(share).toBeGreaterThan(0.5 + 0.5 / 16 - 0.04);
    expect(share).toBeLessThan(0.5 + 0.5 / 16 + 0.04);
  });

  it('jitters the temperature of half of the mutations by at most 0.1 and clamps it to [0.1, 1]', () => {
    const s = paper({ mutationProbability: 1, initThreshold: 1 });
    generation(s, 0, 1, () => 505);
    const stored = promptIndividuals(s)[0];
    // The stored individual's adapted temperature, or 0.6 for instructions not stored yet.
    const proposals = ask(s, 1, 2000).proposals.map(llmProposal);
    const base = (p: { promptId?: number }) => (p.promptId === stored?.promptId ? (stored?.nextTemperature ?? NaN) : 0.6);
    const exact = proposals.filter((p) => p.temperature === base(p)).length / proposals.length;
    expect(stored?.nextTemperature).toBeCloseTo(0.65, 9);
    expect(exact).toBeGreaterThan(0.44);
    expect(exact).toBeLessThan(0.56);
    const offsets = proposals.map((p) => p.temperature - base(p));
    for (const d of offsets) expect(Math.abs(d)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.min(...offsets)).toBeLessThan(-0.09);
    expect(Math.max(...offsets)).toBeGreaterThan(0.09);

    const hot = paper({ mutationProbability: 1, initThreshold: 1, warmupTemperature: 0.98, temperatureStep: 0 });
    generation(hot, 0, 1, () => 505);
    const clamped = ask(hot, 1, 400).proposals.map((p) => llmProposal(p).temperature);
    expect(Math.max(...clamped)).toBe(1);
    const cold = paper({ mutationProbability: 1, initThreshold: 1, warmupTemperature: 0.12, temperatureStep: 0 });
    generation(cold, 0, 1, () => 505);
    expect(Math.min(...ask(cold, 1, 400).proposals.map((p) => llmProposal(p).temperature))).toBe(0.1);
  });
});

describe('LLMatic: ablations', () => {
  it.each([
    ['mutation-only', (ps: Proposal[]) => ps.every((p) => p.operator === 'mutation')],
    ['crossover-only', (ps: Proposal[]) => ps.every((p) => p.operator === 'crossover')],
  ] as const)('%s', (ablation, check) => {
    const s = paper({ ablation });
    generation(s, 0, 40, spread);
    expect(check(ask(s, 1, 100).proposals)).toBe(true);
  });

  it('random-generation: always the seed, with the random-generation instruction at 0.6', () => {
    const s = paper({ ablation: 'random-generation' });
    generation(s, 0, 40, spread);
    for (const p of ask(s, 1, 50).proposals) {
      const llm = llmProposal(p);
      expect(llm).toMatchObject({ operator: 'random-generation', parents: ['seed'], temperature: 0.6 });
      const text = llm.request.messages?.map((m) => m.content).join('\n') ?? '';
      expect(text).toContain(toySpace.prompts.randomGenerationInstruction);
    }
  });

  it('network-archive-only: a fixed population of 100 random prompt individuals, no prompt archive', () => {
    const s = paper({ ablation: 'network-archive-only', mutationProbability: 1 });
    expect(s.archives().prompts).toBeUndefined();
    generation(s, 0, 40, spread);
    const pairs = new Set(ask(s, 1, 3000).proposals.map((p) => `${llmProposal(p).promptId}`));
    // 100 random individuals over 16 instructions cover (nearly) all instructions.
    expect(pairs.size).toBeGreaterThan(12);
    expect(s.archives().networks?.size).toBeGreaterThan(10);
  });

  it('prompt-archive-only: the 100 fittest networks as a population; the crossover mate is the most similar by cosine', () => {
    const ranked = paper({ ablation: 'prompt-archive-only', populationSize: 5, initThreshold: 5, mutationProbability: 0 });
    expect(ranked.archives().networks).toBeUndefined();
    // Fitness 0.1 + j/1000; descriptors (j, 1): cosine similarity is highest for the nearest j.
    const statuses = generation(ranked, 0, 10, (j) => 100 + j * 11).statuses;
    expect(statuses.filter((x) => x === 'new')).toHaveLength(10);
    expect(generation(ranked, 1, 2, () => 50).statuses).toEqual(['rejected', 'rejected']);
    const values = new Map(['g0-5', 'g0-6', 'g0-7', 'g0-8', 'g0-9'].map((id) => [id, 100 + Number(id.slice(3)) * 11]));
    for (const p of ask(ranked, 2, 40).proposals) {
      const [a, b] = p.parents.map((id) => values.get(id ?? '') ?? NaN);
      expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
      const others = [...values.values()].filter((v) => v !== a);
      const cos = (x: number, y: number) => {
        const u = [(x % 100) / 100, Math.floor(x / 100) / 10];
        const w = [(y % 100) / 100, Math.floor(y / 100) / 10];
        return (u[0]! * w[0]! + u[1]! * w[1]!) / Math.hypot(u[0]!, u[1]!) / Math.hypot(w[0]!, w[1]!);
      };
      const best = others.reduce((m, v) => (cos(a!, v) > cos(a!, m) ? v : m));
      expect(cos(a!, b!)).toBeCloseTo(cos(a!, best), 9);
    }
  });
});
