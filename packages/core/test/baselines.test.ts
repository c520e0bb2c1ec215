import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askContext } from './support/ask-context.js';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Rng,
  RunStore,
  Runner,
  createPromptRenderer,
  randomSearch,
  regularizedEvolution,
  resolveConfig,
  type AskContext,
  type Offspring,
  type Proposal,
  type RunEvent,
  type SearchSpace,
  type SearchStrategy,
} from '@llmatic/core';
import { toyEvaluator, toySpace, type ToyModel } from './support/toy-space.js';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'llmatic-baselines-')), 'run');

const valueOf = (code: string) => Number(/value = (\d+)/.exec(code)?.[1]);

/** The toy space with code-level operators: a random value, or the value moved by 1..20. */
const space: SearchSpace<ToyModel> = {
  ...toySpace,
  operators: {
    random: (rng) => `value = ${rng.int(0, 999)}`,
    mutate: (code, rng) => `value = ${Math.min(999, Math.max(0, valueOf(code) + rng.int(-20, 20)))}`,
  },
};

function config(overrides: Record<string, unknown> = {}) {
  return resolveConfig({
    space,
    evaluator: toyEvaluator(),
    strategy: regularizedEvolution({ population: 20, tournament: 5 }),
    generations: 6,
    batchSize: 10,
    seed: 3,
    ...overrides,
  });
}

function context(seed: number, generation: number, batchSize: number): AskContext {
  return askContext(space as SearchSpace<unknown>, seed, generation, batchSize);
}

/** Evaluates proposals the way the toy oracle would (fitness = value / 1000). */
function evaluate(generation: number, proposals: readonly Proposal[]): Offspring[] {
  return proposals.map((proposal, index) => {
    const code = proposal.kind === 'code' ? proposal.code : '';
    const value = valueOf(code);
    return { id: `g${generation}-${index}`, proposal, code, result: { ok: true, fitness: value / 1000, descriptors: [value % 100, Math.floor(value / 100)], metrics: { value } } };
  });
}

function create(factory: ReturnType<typeof regularizedEvolution>): SearchStrategy {
  return factory.create({ seed: 3, space: space as SearchSpace<unknown>, descriptorBounds: [[0, 100], [0, 10]] });
}

describe('LLM-free baselines', () => {
  it('need no llm in the config and run through the Runner, store and budget like any strategy', async () => {
    for (const strategy of [randomSearch(), regularizedEvolution({ population: 20, tournament: 5 })]) {
      expect(strategy.usesLLM).toBe(false);
      const dir = tempDir();
      const summary = await Runner.start(config({ strategy }), { dir }).execute();
      expect(summary.status).toBe('completed');
      expect(summary.evaluations).toBe(60);
      expect(summary.tokens.calls).toBe(0);
      expect(summary.llm).toBeNull();
      const store = RunStore.open(dir, { readonly: true });
      const offspring = store.candidates().filter((c) => c.generation >= 0);
      expect(store.manifest().strategy.name).toBe(strategy.name);
      store.close();
      expect(offspring).toHaveLength(60);
      expect(offspring.every((c) => c.ok && c.temperature === null && c.promptId === null)).toBe(true);
    }
  });

  it('fails with an error that names the missing operators and the fixes, leaving no run folder', async () => {
    const { operators: _none, ...bare } = space;
    for (const strategy of [randomSearch(), regularizedEvolution()]) {
      const resolved = resolveConfig({ space: bare, evaluator: toyEvaluator(), strategy });
      const dir = join(tempDir(), 'run');
      let error: unknown;
      try {
        Runner.start(resolved, { dir });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/needs a search space with `operators`.*"toy" space has none.*llmatic\(\)/s);
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('checks its options', () => {
    expect(() => regularizedEvolution({ population: 10, tournament: 25 })).toThrow(/tournament: tournament must not exceed population/);
    expect(() => regularizedEvolution({ population: 0 })).toThrow(ConfigError);
    expect(() => randomSearch({ population: 3 } as never)).toThrow(/randomSearch\(\)/);
    expect(regularizedEvolution().options).toEqual({ population: 100, tournament: 25 });
  });

  it('random search proposes uniformly random programs drawn from the offspring streams only', () => {
    const strategy = create(randomSearch());
    const first = strategy.ask(context(3, 0, 400));
    expect(first.every((p) => p.kind === 'code' && p.operator === 'random' && p.parents.length === 0)).toBe(true);
    // The same streams give the same plan; the plan does not depend on anything else.
    expect(create(randomSearch()).ask(context(3, 0, 400))).toEqual(first);
    expect(strategy.ask(context(3, 1, 400))).not.toEqual(first);
    const values = first.map((p) => valueOf(p.kind === 'code' ? p.code : ''));
    // Uniform over 0..999: each decile holds about a tenth of 400 draws.
    for (let decile = 0; decile < 10; decile++) {
      const inDecile = values.filter((v) => Math.floor(v / 100) === decile).length;
      expect(inDecile).toBeGreaterThan(15);
      expect(inDecile).toBeLessThan(70);
    }
    const statuses = strategy.tell(evaluate(0, first));
    expect(statuses.filter((s) => s === 'new')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'improved').length).toBeGreaterThan(0);
  });

  it('regularized evolution starts from `population` random programs, then mutates tournament winners', () => {
    const strategy = create(regularizedEvolution({ population: 20, tournament: 5 }));
    const first = strategy.ask(context(3, 0, 15));
    expect(first.every((p) => p.operator === 'random')).toBe(true);
    strategy.tell(evaluate(0, first));
    // 15 members now: 5 more random ones fill the population, the rest are edits.
    const second = strategy.ask(context(3, 1, 15));
    expect(second.map((p) => p.operator)).toEqual([...Array(5).fill('random'), ...Array(10).fill('edit')]);
    const members = new Map(evaluate(0, first).map((o) => [o.id, o]));
    for (const proposal of second.slice(5)) {
      expect(proposal.parents).toHaveLength(1);
      const parent = members.get(proposal.parents[0] ?? '');
      expect(parent).toBeDefined();
      // One edit: the child's value is within the operator's step of its parent's.
      const parentValue = valueOf(parent?.code ?? '');
      expect(Math.abs(valueOf(proposal.kind === 'code' ? proposal.code : '') - parentValue)).toBeLessThanOrEqual(20);
    }
  });

  it('regularized evolution counts random offspring asked but not told yet (steady-state asks one at a time)', () => {
    const strategy = create(regularizedEvolution({ population: 4, tournament: 2 }));
    const one = (index: number) => strategy.ask({ ...context(3, 0, index + 1), offspring: context(3, 0, index + 1).offspring.slice(index) });
    const asked = [0, 1, 2, 3, 4, 5].map((i) => one(i)[0]);
    // No member yet: every ask is random, however many are in flight.
    expect(asked.every((p) => p?.operator === 'random')).toBe(true);
    strategy.tell(evaluate(0, asked.slice(0, 2) as Proposal[]));
    // Two members and four randoms in flight fill the population of 4: now it mutates.
    expect(one(6)[0]?.operator).toBe('edit');
    // A snapshot keeps the randoms in flight.
    const copy = create(regularizedEvolution({ population: 4, tournament: 2 }));
    copy.restore(JSON.parse(JSON.stringify(strategy.snapshot())));
    expect(copy.ask({ ...context(3, 0, 8), offspring: context(3, 0, 8).offspring.slice(7) })[0]?.operator).toBe('edit');
  });

  it('selects parents by tournament: winners come from the top of the population', () => {
    const strategy = create(regularizedEvolution({ population: 100, tournament: 25 }));
    const initial = strategy.ask(context(5, 0, 100));
    strategy.tell(evaluate(0, initial));
    const fitness = new Map(evaluate(0, initial).map((o) => [o.id, o.result.ok ? o.result.fitness : 0]));
    const sorted = [...fitness.values()].sort((a, b) => b - a);
    const median = sorted[50] ?? 0;
    const children = strategy.ask(context(5, 1, 200));
    expect(children.every((p) => p.operator === 'edit')).toBe(true);
    // The best of 25 draws is below the median with probability 2^-25: never, unless selection is broken.
    for (const child of children) expect(fitness.get(child.parents[0] ?? '')).toBeGreaterThan(median);
    // And it is not always the single best member (draws are random, with replacement).
    expect(new Set(children.map((c) => c.parents[0])).size).toBeGreaterThan(1);
  });

  it('ages: every valid child joins and the oldest members die, however fit', () => {
    const strategy = create(regularizedEvolution({ population: 4, tournament: 2 })) as SearchStrategy & {
      members(): readonly { id: string; fitness: number }[];
    };
    const code = (value: number): Proposal => ({ kind: 'code', operator: 'random', parents: [], code: `value = ${value}` });
    strategy.tell(evaluate(0, [code(999), code(10), code(20), code(30)]));
    expect(strategy.members().map((m) => m.id)).toEqual(['g0-0', 'g0-1', 'g0-2', 'g0-3']);
    const statuses = strategy.tell([
      ...evaluate(1, [code(1)]),
      { id: 'g1-1', proposal: code(0), result: { ok: false, failure: { reason: 'compile', message: 'bad' } } },
    ]);
    expect(statuses).toEqual(['new', 'failed']);
    // The best member (999) was the oldest: it died; the failure did not join.
    expect(strategy.members().map((m) => m.id)).toEqual(['g0-1', 'g0-2', 'g0-3', 'g1-0']);
  });

  it('restores its population from a snapshot and rejects a foreign one', () => {
    const strategy = create(regularizedEvolution({ population: 20, tournament: 5 }));
    const first = strategy.ask(context(3, 0, 20));
    strategy.tell(evaluate(0, first));
    const copy = create(regularizedEvolution({ population: 20, tournament: 5 }));
    copy.restore(JSON.parse(JSON.stringify(strategy.snapshot())));
    expect(copy.ask(context(3, 1, 10))).toEqual(strategy.ask(context(3, 1, 10)));
    expect(() => copy.restore({ networks: {}, prompts: {} })).toThrow(/does not hold a regularized-evolution state/);
  });

  it('resumes an interrupted run exactly as if it had not been interrupted', async () => {
    for (const strategy of [randomSearch(), regularizedEvolution({ population: 20, tournament: 5 })]) {
      const reference = tempDir();
      await Runner.start(config({ strategy }), { dir: reference }).execute();
      const dir = tempDir();
      const controller = new AbortController();
      let seen = 0;
      const onEvent = (event: RunEvent) => {
        if (event.type === 'offspring' && ++seen === 27) controller.abort();
      };
      const first = await Runner.start(config({ strategy }), { dir, signal: controller.signal, onEvent }).execute();
      expect(first.status).toBe('stopped');
      expect(first.evaluations).toBeLessThan(60);
      const resumed = await Runner.resume(config({ strategy }), { dir }).execute();
      expect(resumed.status).toBe('completed');
      const rows = (d: string) => {
        const store = RunStore.open(d, { readonly: true });
        const result = store.candidates().map((c) => ({ id: c.id, code: c.code, parents: c.parents, operator: c.operator, fitness: c.fitness }));
        store.close();
        return result;
      };
      expect(rows(dir)).toEqual(rows(reference));
      expect(resumed.evaluations).toBe(60);
    }
  });
});
