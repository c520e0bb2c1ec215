import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LLMError, RunStore, Runner, llmatic, resolveConfig, type GenerateRequest, type RunEvent } from '@llmatic/core';
import { ToyLLM, toyEvaluator, toySpace } from './support/toy-space.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'llmatic-runner-'));

function config(overrides: Record<string, unknown> = {}) {
  return resolveConfig({
    space: toySpace,
    evaluator: toyEvaluator(),
    llm: new ToyLLM(),
    strategy: llmatic({ centroidSamples: 2000 }),
    generations: 4,
    batchSize: 12,
    seed: 7,
    concurrency: { llm: 3, evaluations: 2 },
    ...overrides,
  });
}

function candidateRows(dir: string) {
  const store = RunStore.open(dir);
  try {
    return store.candidates().map((c) => ({ id: c.id, code: c.code, fitness: c.fitness, op: c.operator, parents: c.parents, t: c.temperature }));
  } finally {
    store.close();
  }
}

describe('Runner', () => {
  it('runs every offspring, checkpoints each generation and writes the summary', async () => {
    const dir = tempDir();
    const summary = await Runner.start(config(), { dir }).execute();
    expect(summary.status).toBe('completed');
    expect(summary.evaluations).toBe(48);
    expect(summary.generations).toEqual({ completed: 4, planned: 4, batchSize: 12 });
    const failed = Object.values(summary.failures).reduce((a, b) => a + (b ?? 0), 0);
    expect(failed).toBeGreaterThan(0);
    expect(summary.best?.fitness).toBeGreaterThan(summary.seedNetwork?.fitness ?? 1);
    expect(summary.tokens.calls).toBe(48);
    expect(summary.archive.elites).toBe(summary.archive.members.length);
    const written = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { evaluations: number };
    expect(written.evaluations).toBe(48);
    const store = RunStore.open(dir);
    expect(store.generationStats().map((s) => s.generation)).toEqual([-1, 0, 1, 2, 3]);
    expect(store.candidates().filter((c) => c.generation >= 0).every((c) => c.status !== null)).toBe(true);
    store.close();
  });

  it('is reproducible from one seed given the same replies', async () => {
    const a = tempDir();
    const b = tempDir();
    await Runner.start(config(), { dir: a }).execute();
    await Runner.start(config(), { dir: b }).execute();
    expect(candidateRows(b)).toEqual(candidateRows(a));
    const c = tempDir();
    await Runner.start(config({ seed: 8 }), { dir: c }).execute();
    expect(candidateRows(c)).not.toEqual(candidateRows(a));
  });

  it('resumes an interrupted run without repeating finished LLM calls or evaluations', async () => {
    const reference = tempDir();
    await Runner.start(config(), { dir: reference }).execute();

    const dir = tempDir();
    const controller = new AbortController();
    const evaluated: number[] = [];
    let seen = 0;
    const onEvent = (event: RunEvent) => {
      if (event.type === 'offspring' && ++seen === 20) controller.abort();
    };
    const first = await Runner.start(config({ evaluator: toyEvaluator(evaluated) }), { dir, signal: controller.signal, onEvent }).execute();
    expect(first.status).toBe('stopped');
    const llm = new ToyLLM();
    const evaluatedAfter: number[] = [];
    const resumed = await Runner.resume(config({ llm, evaluator: toyEvaluator(evaluatedAfter) }), { dir }).execute();
    expect(resumed.status).toBe('completed');
    // Same run as if never interrupted, and nothing finished was done twice.
    expect(candidateRows(dir)).toEqual(candidateRows(reference));
    const store = RunStore.open(dir);
    const calls = store.llmCalls();
    store.close();
    expect(new Set(calls.map((c) => c.candidateId)).size).toBe(calls.length);
    expect(evaluated.length + evaluatedAfter.length).toBe(candidateRows(reference).filter((r) => r.fitness !== null).length);
  });

  it('stops with a checkpoint on a fatal LLM error and keeps what finished', async () => {
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
    const summary = await Runner.start(config({ llm }), { dir }).execute();
    expect(summary.status).toBe('stopped');
    expect(summary.stopReason).toContain('start it again');
    expect(summary.generations.completed).toBe(1);
    expect(summary.evaluations).toBeGreaterThanOrEqual(12);
    const resumed = await Runner.resume(config(), { dir }).execute();
    expect(resumed.status).toBe('completed');
    expect(resumed.evaluations).toBe(48);
  });

  it('records a non-fatal LLM failure as a failed offspring charged to its prompt', async () => {
    const dir = tempDir();
    const llm = {
      name: 'broken',
      model: 'toy-1',
      async generate(): Promise<never> {
        throw new LLMError('500 after 4 retries', 'server', false);
      },
    };
    const summary = await Runner.start(config({ llm, generations: 1 }), { dir }).execute();
    expect(summary.status).toBe('completed');
    expect(summary.failures.llm).toBe(12);
    expect(summary.best).toBeNull();
  });

  it('stops cleanly when the LLM budget is spent, and resumes under a raised cap counting what was spent', async () => {
    const dir = tempDir();
    const summary = await Runner.start(config({ budget: { maxCalls: 20 } }), { dir }).execute();
    expect(summary.status).toBe('stopped');
    expect(summary.stopReason).toMatch(/budget spent: \d+ of 20 calls used.*Raise `maxCalls`/);
    expect(summary.tokens.calls).toBe(20);
    expect(summary.generations.completed).toBe(1);
    const again = await Runner.resume(config({ budget: { maxCalls: 30 } }), { dir }).execute();
    expect(again.status).toBe('stopped');
    expect(again.tokens.calls).toBe(30);
    const done = await Runner.resume(config({ budget: { maxCalls: 48 } }), { dir }).execute();
    expect(done.status).toBe('completed');
    expect(done.tokens.calls).toBe(48);
    expect(done.tokens.byModel).toEqual([{ model: 'toy-1', calls: 48, promptTokens: expect.any(Number), completionTokens: 480 }]);
    expect(done.tokens.byPrompt.reduce((n, p) => n + p.calls, 0)).toBe(48);
  });

  it('refuses to resume with a different seed', async () => {
    const dir = tempDir();
    await Runner.start(config({ generations: 1 }), { dir }).execute();
    expect(() => Runner.resume(config({ seed: 99 }), { dir })).toThrow(/seed 99 \(the run used 7\)/);
  });
});
