import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  InProcessExecutor,
  LLMError,
  RunStore,
  Runner,
  llmatic,
  randomSearch,
  regularizedEvolution,
  resolveConfig,
  type GenerateRequest,
  type Proposal,
  type ResolvedConfig,
  type RunEvent,
  type RunSummary,
  type SearchSpace,
  type StrategyFactory,
  type TellStatus,
} from '@llmatic/core';
import { ToyLLM, toyEvaluator, toySpace, type ToyModel } from './support/toy-space.js';
import { VirtualClockExecutor, drive, type ClockObservation } from './support/virtual-clock-executor.js';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'llmatic-steady-')), 'run');
const valueOf = (code: string) => Number(/value = (\d+)/.exec(code)?.[1]);

/** The toy space with code-level operators, for the LLM-free baselines. */
const spaceWithOperators: SearchSpace<ToyModel> = {
  ...toySpace,
  operators: {
    random: (rng) => `value = ${rng.int(0, 999)}`,
    mutate: (code, rng) => `value = ${Math.min(999, Math.max(0, valueOf(code) + rng.int(-20, 20)))}`,
  },
};

const GENERATIONS = 4;
const BATCH = 10;
const SLOTS = 3;
const LLM_AHEAD = 2;

function config(strategy: StrategyFactory, overrides: Record<string, unknown> = {}): ResolvedConfig {
  const usesLLM = strategy.usesLLM;
  return resolveConfig({
    space: usesLLM ? toySpace : spaceWithOperators,
    evaluator: toyEvaluator(),
    ...(usesLLM ? { llm: new ToyLLM() } : {}),
    strategy,
    schedule: 'steady-state',
    generations: GENERATIONS,
    batchSize: BATCH,
    seed: 5,
    concurrency: { llm: LLM_AHEAD, evaluations: SLOTS },
    ...overrides,
  });
}

const strategies: [string, () => StrategyFactory][] = [
  ['random search', () => randomSearch()],
  ['regularized evolution', () => regularizedEvolution({ population: 8, tournament: 3 })],
  ['llmatic', () => llmatic({ centroidSamples: 2000 })],
];

function clockFor(resolved: ResolvedConfig, seed = 1): VirtualClockExecutor {
  return new VirtualClockExecutor(new InProcessExecutor(resolved), seed);
}

function readRun(dir: string) {
  const store = RunStore.open(dir, { readonly: true });
  try {
    return { candidates: store.candidates(), calls: store.llmCalls(), stats: store.generationStats() };
  } finally {
    store.close();
  }
}

const allIds = (generations: number, batch: number) =>
  Array.from({ length: generations * batch }, (_, k) => `g${Math.floor(k / batch)}-${k % batch}`);

/**
 * Makes the run folder what a kill between recording the last told offspring and journalling its
 * tell leaves: that tell and everything after it (asks, and what their offspring stored) never
 * happened. Resume must then tell that offspring from the store, not evaluate it again.
 */
function killBeforeLastTell(dir: string): void {
  const db = new Database(join(dir, 'run.db'));
  try {
    const events = db.prepare('SELECT seq, event FROM schedule_events ORDER BY seq').all() as { seq: number; event: string }[];
    const parsed = events.map((row) => ({ seq: row.seq, event: JSON.parse(row.event) as ScheduleEvent }));
    const lastTell = parsed.filter((e) => e.event.kind === 'tell').at(-1);
    if (!lastTell) throw new Error('no tell since the last checkpoint: stop the run later');
    for (const { seq, event } of parsed) {
      if (seq <= lastTell.seq || event.kind !== 'ask') continue;
      for (let i = 0; i < event.proposals.length; i++) {
        const id = `g${event.generation}-${event.from + i}`;
        db.prepare('DELETE FROM candidates WHERE id = ?').run(id);
        db.prepare('DELETE FROM llm_calls WHERE candidate_id = ?').run(id);
      }
    }
    db.prepare('DELETE FROM schedule_events WHERE seq >= ?').run(lastTell.seq);
  } finally {
    db.close();
  }
}

type ScheduleEvent = { kind: 'tell'; ids: string[] } | { kind: 'ask'; generation: number; from: number; proposals: unknown[] };

describe('steady-state schedule', () => {
  it('is chosen by `schedule`, defaults to generational and names the choices when wrong', () => {
    expect(resolveConfig({ space: toySpace, evaluator: toyEvaluator(), llm: new ToyLLM() }).schedule).toBe('generational');
    expect(() => resolveConfig({ space: toySpace, evaluator: toyEvaluator(), llm: new ToyLLM(), schedule: 'async' })).toThrow(ConfigError);
    expect(() => resolveConfig({ space: toySpace, evaluator: toyEvaluator(), llm: new ToyLLM(), schedule: 'async' })).toThrow(/schedule.*generational.*steady-state/s);
  });

  for (const [name, strategy] of strategies) {
    it(`runs every ${name} offspring exactly once and checkpoints every batchSize completions`, async () => {
      const dir = tempDir();
      const resolved = config(strategy());
      const executor = clockFor(resolved);
      const told: string[] = [];
      const onEvent = (event: RunEvent) => {
        if (event.type === 'offspring' && event.generation >= 0) told.push(event.id);
      };
      const summary = (await drive(Runner.start(resolved, { dir, executor, onEvent }).execute(), executor)) as RunSummary;
      expect(summary.status).toBe('completed');
      expect(summary.evaluations).toBe(GENERATIONS * BATCH);
      expect(summary.generations).toEqual({ completed: GENERATIONS, planned: GENERATIONS, batchSize: BATCH });

      const { candidates, calls, stats } = readRun(dir);
      const offspring = candidates.filter((c) => c.generation >= 0);
      expect(offspring.map((c) => c.id)).toEqual(allIds(GENERATIONS, BATCH));
      expect(offspring.every((c) => c.status !== null)).toBe(true);
      // Each evaluation ran once; each LLM call was made once.
      const evaluated = executor.started.filter((id) => id !== 'seed');
      expect(new Set(evaluated).size).toBe(evaluated.length);
      expect(evaluated.length).toBe(offspring.filter((c) => c.code !== null).length);
      expect(new Set(calls.map((c) => c.candidateId)).size).toBe(calls.length);
      expect(calls.length).toBe(name === 'llmatic' ? GENERATIONS * BATCH : 0);
      // A checkpoint per batchSize completions, each counting exactly that many offspring.
      expect(stats.map((s) => s.generation)).toEqual([-1, 0, 1, 2, 3]);
      for (const s of stats.filter((s) => s.generation >= 0)) expect(s.valid + s.failed).toBe(BATCH);
      // Told as they finished, not in ask order: the generations overlap.
      expect(told).toHaveLength(GENERATIONS * BATCH);
      expect(told).not.toEqual(allIds(GENERATIONS, BATCH));
      expect(executor.maxHeld).toBe(SLOTS);
    });
  }

  it('keeps every evaluation slot busy and an LLM reply ready until the last offspring is asked for', async () => {
    const dir = tempDir();
    const llm = new ToyLLM();
    const resolved = config(llmatic({ centroidSamples: 2000 }), { llm });
    const executor = clockFor(resolved, 2);
    let told = 0;
    const onEvent = (event: RunEvent) => {
      if (event.type === 'offspring' && event.generation >= 0) told += 1;
    };
    const observations: (ClockObservation & { asked: number; told: number })[] = [];
    // llmatic plans only LLM offspring on this space, so calls made = offspring asked for.
    const observe = (o: ClockObservation) => observations.push({ ...o, asked: llm.calls, told });
    await drive(Runner.start(resolved, { dir, executor, onEvent }).execute(), executor, { observe });

    const total = GENERATIONS * BATCH;
    // (The first observation is the seed network's evaluation, before any offspring.)
    const filling = observations.filter((o) => o.asked > 0 && o.asked < total);
    const draining = observations.filter((o) => o.asked === total);
    expect(filling.length).toBeGreaterThan(total / 2);
    for (const o of filling) {
      expect(o.held).toBe(SLOTS);
      // Beside the evaluations, LLM_AHEAD offspring have their reply and wait for a slot.
      expect(o.asked - o.told).toBe(SLOTS + LLM_AHEAD);
    }
    // Only once everything is asked for do slots empty, one by one.
    for (let i = 1; i < draining.length; i++) expect(draining[i]!.held).toBeLessThanOrEqual(draining[i - 1]!.held);
    expect(executor.maxHeld).toBe(SLOTS);
  });

  it('keeps the pipeline efficient where generations idle (heavy-tailed evaluation times, virtual clock)', async () => {
    const efficiency = async (schedule: 'generational' | 'steady-state') => {
      const resolved = config(randomSearch(), { schedule, generations: 20, batchSize: 100, concurrency: { llm: 1, evaluations: 8 } });
      const executor = clockFor(resolved, 3);
      await drive(Runner.start(resolved, { dir: tempDir(), executor }).execute(), executor);
      return executor.now / (executor.busy / 8);
    };
    const steady = await efficiency('steady-state');
    const generational = await efficiency('generational');
    expect(steady).toBeLessThanOrEqual(1.1);
    expect(generational).toBeGreaterThan(steady + 0.1);
  }, 60_000);

  for (const [name, strategy] of strategies.filter(([name]) => name !== 'random search')) {
    it(`resumes ${name} after a crash mid-generation without repeating an LLM call or a finished evaluation`, async () => {
      const dir = tempDir();
      const first = config(strategy());
      const crashed = clockFor(first);
      // The seed and 12 evaluations finish, then the process "dies": its in-flight work never completes.
      const outcome = await drive(Runner.start(first, { dir, executor: crashed }).execute(), crashed, { stopAfter: 13 });
      expect(outcome).toBe('abandoned');
      killBeforeLastTell(dir);
      const before = readRun(dir);
      const finished = new Map(before.candidates.map((c) => [c.id, c]));
      expect(before.stats.map((s) => s.generation)).toEqual([-1, 0]);

      const llm = new ToyLLM();
      const second = config(strategy(), strategy().usesLLM ? { llm } : {});
      const resumed = clockFor(second);
      const summary = (await drive(Runner.resume(second, { dir, executor: resumed }).execute(), resumed)) as RunSummary;
      expect(summary.status).toBe('completed');

      const after = readRun(dir);
      const offspring = after.candidates.filter((c) => c.generation >= 0);
      expect(offspring.map((c) => c.id)).toEqual(allIds(GENERATIONS, BATCH));
      for (const [id, old] of finished) {
        expect({ ...after.candidates.find((c) => c.id === id), status: null }).toEqual({ ...old, status: null });
        expect(resumed.started).not.toContain(id);
      }
      const replied = after.calls.filter((c) => c.reply !== null).map((c) => c.candidateId);
      expect(new Set(replied).size).toBe(replied.length);
      expect(llm.calls).toBe(name === 'llmatic' ? GENERATIONS * BATCH - before.calls.length : 0);
      for (const s of after.stats.filter((s) => s.generation >= 0)) expect(s.valid + s.failed).toBe(BATCH);
    });
  }

  it('resumes a crash between a generation\'s last tell and its checkpoint, then crashes and resumes again', async () => {
    // The process dies after telling the 20th result, before checkpoint 1 is written: the
    // resume replays that tell, writes checkpoint 1 itself and goes on.
    const dying = (): StrategyFactory => {
      const inner = regularizedEvolution({ population: 8, tournament: 3 });
      return {
        ...inner,
        create: (env) => {
          const strategy = inner.create(env);
          return Object.assign(Object.create(strategy) as typeof strategy, {
            endGeneration: (generation: number) => {
              if (generation === 1) throw new Error('killed');
            },
          });
        },
      };
    };
    const dir = tempDir();
    const first = config(dying());
    const clock1 = clockFor(first);
    await expect(drive(Runner.start(first, { dir, executor: clock1 }).execute(), clock1)).rejects.toThrow('killed');
    expect(readRun(dir).stats.map((s) => s.generation)).toEqual([-1, 0]);
    const afterFirst = new Set(readRun(dir).candidates.map((c) => c.id));

    const second = config(regularizedEvolution({ population: 8, tournament: 3 }));
    const clock2 = clockFor(second);
    expect(await drive(Runner.resume(second, { dir, executor: clock2 }).execute(), clock2, { stopAfter: 6 })).toBe('abandoned');
    expect(readRun(dir).stats.map((s) => s.generation)).toEqual([-1, 0, 1]);
    const afterSecond = new Set(readRun(dir).candidates.map((c) => c.id));

    const clock3 = clockFor(second);
    const summary = (await drive(Runner.resume(second, { dir, executor: clock3 }).execute(), clock3)) as RunSummary;
    expect(summary.status).toBe('completed');
    const { candidates, stats } = readRun(dir);
    expect(candidates.filter((c) => c.generation >= 0).map((c) => c.id)).toEqual(allIds(GENERATIONS, BATCH));
    for (const s of stats.filter((s) => s.generation >= 0)) expect(s.valid + s.failed).toBe(BATCH);
    // No session evaluated again what an earlier one had finished.
    for (const [session, before] of [[clock2, afterFirst], [clock3, afterSecond]] as const) {
      expect(session.started.filter((id) => before.has(id))).toEqual([]);
    }
  });

  it('refuses to resume a strategy whose ask() is not deterministic, naming the offspring', async () => {
    // Plans from Math.random: after a crash it would plan differently what was already paid for.
    const careless: StrategyFactory = {
      name: 'careless',
      usesLLM: false,
      options: {},
      create: () => ({
        name: 'careless',
        ask: (context) =>
          context.offspring.map((): Proposal => ({ kind: 'code', operator: 'random', parents: [], code: `value = ${Math.floor(Math.random() * 1000)}` })),
        tell: (offspring) => offspring.map((): TellStatus => 'new'),
        snapshot: () => ({}),
        restore: () => undefined,
        archives: () => ({}),
      }),
    };
    const dir = tempDir();
    const first = config(careless);
    const clock = clockFor(first);
    expect(await drive(Runner.start(first, { dir, executor: clock }).execute(), clock, { stopAfter: 13 })).toBe('abandoned');
    await expect(Runner.resume(config(careless), { dir }).execute()).rejects.toThrow(
      /strategy careless planned offspring from g1-\d+ on differently than before the interruption/,
    );
  });

  it('is reproducible given the completion order, and only the completion order varies it', async () => {
    const rows = async (clockSeed: number) => {
      const dir = tempDir();
      const resolved = config(regularizedEvolution({ population: 8, tournament: 3 }));
      const clock = clockFor(resolved, clockSeed);
      await drive(Runner.start(resolved, { dir, executor: clock }).execute(), clock);
      return readRun(dir).candidates.map((c) => ({ id: c.id, code: c.code, fitness: c.fitness, parents: c.parents }));
    };
    const a = await rows(1);
    expect(await rows(1)).toEqual(a);
    // Other evaluation times, other completion order: the strategy learns in another order.
    expect(await rows(4)).not.toEqual(a);
  });

  it('continues a resumed run exactly as the uninterrupted one, given the same completion order', async () => {
    const reference = tempDir();
    const resolved = config(regularizedEvolution({ population: 8, tournament: 3 }));
    const clock = clockFor(resolved);
    await drive(Runner.start(resolved, { dir: reference, executor: clock }).execute(), clock);

    // Ctrl-C after 23 completions: what is held still finishes (and is kept), nothing new is asked.
    const dir = tempDir();
    const controller = new AbortController();
    const stopped = clockFor(resolved);
    let completions = 0;
    const onEvent = (event: RunEvent) => {
      if (event.type === 'offspring' && event.generation >= 0 && ++completions === 23) controller.abort();
    };
    const first = (await drive(Runner.start(resolved, { dir, executor: stopped, signal: controller.signal, onEvent }).execute(), stopped)) as RunSummary;
    expect(first.status).toBe('stopped');
    const resumed = clockFor(resolved);
    await drive(Runner.resume(resolved, { dir, executor: resumed }).execute(), resumed);

    const rows = (d: string) => readRun(d).candidates.map((c) => ({ id: c.id, code: c.code, fitness: c.fitness, parents: c.parents }));
    // Up to the stop both runs are the same run; the resumed one then tells the offspring that
    // finished during the stop in ask order, so from there they may differ, but only in order.
    const ref = rows(reference);
    const got = rows(dir);
    expect(got.map((r) => r.id)).toEqual(ref.map((r) => r.id));
    const same = got.filter((r, i) => JSON.stringify(r) === JSON.stringify(ref[i])).length;
    expect(same).toBeGreaterThan(23);
    const evaluated = [...stopped.started, ...resumed.started].filter((id) => id !== 'seed');
    expect(new Set(evaluated).size).toBe(evaluated.length);
  });

  it('stops on a fatal LLM error with finished work kept, and resumes to the end', async () => {
    const dir = tempDir();
    const inner = new ToyLLM();
    let calls = 0;
    const llm = {
      name: 'flaky',
      model: 'toy-1',
      async generate(request: GenerateRequest) {
        if (++calls > 15) throw new LLMError('the server went away: start it again', 'unreachable', true);
        return inner.generate(request);
      },
    };
    const summary = await Runner.start(config(llmatic({ centroidSamples: 2000 }), { llm }), { dir }).execute();
    expect(summary.status).toBe('stopped');
    expect(summary.stopReason).toContain('start it again');
    expect(summary.generations.completed).toBe(1);
    const resumed = await Runner.resume(config(llmatic({ centroidSamples: 2000 })), { dir }).execute();
    expect(resumed.status).toBe('completed');
    expect(resumed.evaluations).toBe(GENERATIONS * BATCH);
    const { calls: stored } = readRun(dir);
    const replied = stored.filter((c) => c.reply !== null).map((c) => c.candidateId);
    expect(new Set(replied).size).toBe(replied.length);
  });

  it('stops cleanly when the LLM budget is spent and resumes under a raised cap', async () => {
    const dir = tempDir();
    const strategy = () => llmatic({ centroidSamples: 2000 });
    const summary = await Runner.start(config(strategy(), { budget: { maxCalls: 25 } }), { dir }).execute();
    expect(summary.status).toBe('stopped');
    expect(summary.stopReason).toMatch(/budget spent: \d+ of 25 calls used/);
    expect(summary.tokens.calls).toBe(25);
    const done = await Runner.resume(config(strategy(), { budget: { maxCalls: 40 } }), { dir }).execute();
    expect(done.status).toBe('completed');
    expect(done.tokens.calls).toBe(40);
    expect(done.evaluations).toBe(40);
  });

  it('refuses to switch schedule where in-flight work would be lost or planned anew', async () => {
    const steadyDir = tempDir();
    const steady = config(randomSearch());
    const clock = clockFor(steady);
    await drive(Runner.start(steady, { dir: steadyDir, executor: clock }).execute(), clock, { stopAfter: 14 });
    expect(() => Runner.resume(config(randomSearch(), { schedule: 'generational' }), { dir: steadyDir })).toThrow(
      /stopped in steady-state with offspring in flight.*schedule: 'steady-state'/,
    );

    const generationalDir = tempDir();
    const generational = config(randomSearch(), { schedule: 'generational' });
    const clock2 = clockFor(generational);
    await drive(Runner.start(generational, { dir: generationalDir, executor: clock2 }).execute(), clock2, { stopAfter: 14 });
    await expect(Runner.resume(steady, { dir: generationalDir }).execute()).rejects.toThrow(/middle of generation 1 of a generational run.*schedule: 'generational'/);

    // At a generation's end a run may switch: a finished generational run continues in steady-state.
    const switchDir = tempDir();
    await Runner.start(config(randomSearch(), { schedule: 'generational', generations: 2 }), { dir: switchDir }).execute();
    const extended = await Runner.resume(steady, { dir: switchDir }).execute();
    expect(extended.status).toBe('completed');
    expect(readRun(switchDir).candidates.filter((c) => c.generation >= 0).map((c) => c.id)).toEqual(allIds(GENERATIONS, BATCH));
  });
});
