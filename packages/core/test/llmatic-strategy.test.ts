import { describe, expect, it } from 'vitest';
import {
  LLMaticStrategy,
  Rng,
  createPromptRenderer,
  llmatic,
  type AskContext,
  type Offspring,
  type PromptIndividual,
  type Proposal,
} from '@llmatic/core';
import { toySpace } from './support/toy-space.js';

const env = { seed: 3, space: toySpace, descriptorBounds: toySpace.descriptors.map((d) => d.bounds) };

function context(generation: number, batchSize = 20): AskContext {
  return {
    batchSize,
    rng: (i) => Rng.derive(3, 'g', generation, 'o', i),
    generationRng: Rng.derive(3, 'g', generation),
    space: toySpace,
    render: createPromptRenderer(toySpace.prompts, 'chat', 256),
  };
}

function strategy(options: Parameters<typeof llmatic>[0] = {}): LLMaticStrategy {
  return llmatic({ centroidSamples: 2000, ...options }).create(env) as LLMaticStrategy;
}

/** Evaluates proposals: offspring j of a generation gets value `values(j)` (or fails when null). */
function evaluate(generation: number, proposals: Proposal[], values: (j: number) => number | null): Offspring[] {
  return proposals.map((proposal, j) => {
    const value = values(j);
    return {
      id: `g${generation}-${j}`,
      proposal,
      code: `value = ${value}`,
      result:
        value === null
          ? { ok: false, failure: { reason: 'compile', message: 'broken' } }
          : { ok: true, fitness: value / 1000, descriptors: [value % 100, Math.floor(value / 100)], metrics: {} },
    };
  });
}

const prompts = (s: LLMaticStrategy) => (s.archives().prompts?.elites() ?? []).map((e) => e.payload as PromptIndividual);

describe('LLMatic strategy', () => {
  it('warms up from the seed with random prompts at temperature 0.6 until 10 elites', () => {
    const s = strategy();
    const proposals = s.ask(0, context(0));
    expect(proposals).toHaveLength(20);
    for (const p of proposals) {
      expect(p).toMatchObject({ kind: 'llm', operator: 'mutation', parents: ['seed'], temperature: 0.6 });
    }
    expect(new Set(proposals.map((p) => (p.kind === 'llm' ? p.promptId : -1))).size).toBeGreaterThan(5);
    // Only 5 distinct niches: still warming up next generation.
    s.tell(0, evaluate(0, proposals, (j) => (j % 5) * 150 + 1));
    expect(s.archives().networks?.size).toBe(5);
    expect(s.ask(1, context(1)).every((p) => p.kind === 'llm' && p.parents[0] === 'seed')).toBe(true);
  });

  it('after warm-up mixes mutation (~70%) and crossover of an elite with a near neighbour', () => {
    const s = strategy();
    const warm = s.ask(0, context(0, 40));
    s.tell(0, evaluate(0, warm, (j) => j * 23 + 5));
    const proposals = s.ask(1, context(1, 400));
    const crossovers = proposals.filter((p) => p.operator === 'crossover');
    expect(crossovers.length / proposals.length).toBeGreaterThan(0.22);
    expect(crossovers.length / proposals.length).toBeLessThan(0.38);
    for (const p of crossovers) {
      expect(p.parents).toHaveLength(2);
      expect(p.parents[0]).not.toBe(p.parents[1]);
      expect(p.kind === 'llm' && p.temperature).toBe(0.7);
    }
    for (const p of proposals.filter((q) => q.operator === 'mutation')) {
      expect(p.parents[0]).toMatch(/^g0-/);
      expect(p.kind === 'llm' && p.temperature).toBeGreaterThanOrEqual(0.1);
      expect(p.kind === 'llm' && p.temperature).toBeLessThanOrEqual(1);
    }
  });

  it('accumulates curiosity and collective fitness on the stored prompt individual', () => {
    const s = strategy({ initThreshold: 1, mutationProbability: 1 });
    const first = s.ask(0, context(0, 1));
    s.tell(0, evaluate(0, first, () => 500));
    const [stored] = prompts(s);
    expect(stored).toMatchObject({ curiosity: 1, fitness: 1, temperature: 0.6 });
    expect(stored?.nextTemperature).toBeCloseTo(0.65);
    // Keep asking until the stored (most curious) individual is used again, and fail its network.
    for (let g = 1; g < 30; g++) {
      const proposals = s.ask(g, context(g, 1));
      const p = proposals[0];
      if (p?.kind !== 'llm' || p.promptId !== stored?.promptId) {
        s.tell(g, evaluate(g, proposals, () => 500));
        continue;
      }
      s.tell(g, evaluate(g, proposals, () => null));
      const after = prompts(s).find((x) => x.promptId === stored.promptId && x.temperature === 0.6);
      expect(after?.curiosity).toBeLessThanOrEqual(0);
      return;
    }
    throw new Error('the most curious prompt was never chosen');
  });

  it('charges an untrainable child to its prompt and never puts its parent in its place', () => {
    const s = strategy({ initThreshold: 1 });
    const first = s.ask(0, context(0, 3));
    const statuses = s.tell(0, evaluate(0, first, () => null));
    expect(statuses).toEqual(['failed', 'failed', 'failed']);
    expect(s.archives().networks?.size).toBe(0);
    for (const individual of prompts(s)) {
      expect(individual.curiosity).toBe(-1);
      expect(individual.nextTemperature).toBeCloseTo(0.55);
    }
  });

  it('plans the same generation identically from the same state (resume)', () => {
    const a = strategy();
    a.tell(0, evaluate(0, a.ask(0, context(0, 30)), (j) => j * 31 + 2));
    const b = strategy();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.ask(1, context(1))).toEqual(a.ask(1, context(1)));
  });

  it.each([
    ['mutation-only', (ps: Proposal[]) => ps.every((p) => p.operator === 'mutation')],
    ['crossover-only', (ps: Proposal[]) => ps.every((p) => p.operator === 'crossover')],
    ['random-generation', (ps: Proposal[]) => ps.every((p) => p.operator === 'random-generation' && p.parents[0] === 'seed')],
  ] as const)('ablation %s', (ablation, check) => {
    const s = strategy({ ablation });
    s.tell(0, evaluate(0, s.ask(0, context(0, 40)), (j) => j * 23 + 5));
    expect(check(s.ask(1, context(1)))).toBe(true);
  });

  it('network-archive-only keeps a fixed prompt population; prompt-archive-only ranks networks', () => {
    const fixed = strategy({ ablation: 'network-archive-only' });
    expect(fixed.archives().prompts).toBeUndefined();
    fixed.tell(0, evaluate(0, fixed.ask(0, context(0, 40)), (j) => j * 23 + 5));
    expect(fixed.archives().networks?.size).toBeGreaterThan(10);

    const ranked = strategy({ ablation: 'prompt-archive-only', populationSize: 5 });
    expect(ranked.archives().networks).toBeUndefined();
    const statuses = ranked.tell(0, evaluate(0, ranked.ask(0, context(0, 10)), (j) => 100 + j));
    expect(statuses.filter((x) => x === 'new')).toHaveLength(10);
    const next = ranked.tell(1, evaluate(1, ranked.ask(1, context(1, 2)), () => 50));
    expect(next).toEqual(['rejected', 'rejected']);
  });
});
