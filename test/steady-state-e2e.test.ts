/**
 * A paper-sized NAS-Bench-201 search (20 x 100) in steady-state through the CLI, against the
 * protocol-level OpenAI-compatible double, its evaluations finishing out of order; SIGKILLed
 * mid-generation, resumed, and checked: every offspring once, nothing finished lost or redone,
 * no LLM reply paid twice, a checkpoint per 100 completions.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, type RunSummary } from '@llmatic/core';
import { startOpenAIServer, type LLMDouble } from './doubles/openai-server.js';
import { nb201Reply } from './support/nb201-llm-double.js';
import { assertCliBuilt, sharedTable, startCli, openAIDoubleEnv, sigkillAt } from './support/cli.js';

const hasTable = existsSync(sharedTable);
if (!hasTable) console.warn(`SKIPPED steady-state end-to-end test: no NAS-Bench-201 table at ${sharedTable}`);

function count(dir: string, sql: string): number {
  const file = join(dir, 'run.db');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // the schema may not exist yet
  }
}

describe.skipIf(!hasTable)('steady-state end to end (CLI, 2,000 candidates, SIGKILL mid-generation + resume)', () => {
  let server: LLMDouble;
  beforeAll(async () => {
    assertCliBuilt();
    server = await startOpenAIServer({ models: ['coder-double'], reply: nb201Reply });
  });
  afterAll(async () => server?.close());

  it('loses and repeats nothing and checkpoints every 100 completions', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'llmatic-steady-e2e-')), 'run');
    const env = openAIDoubleEnv(server.url);
    const config = 'test/fixtures/nb201-steady.config.ts';
    const first = startCli(['run', config, '--out', dir], env);
    // Kill it without warning once it is well into generation 7 (between two checkpoints).
    await sigkillAt(first, () => count(dir, 'SELECT COUNT(*) AS n FROM candidates'), 750);

    const before = RunStore.open(dir, { readonly: true });
    const finishedBefore = new Map(before.candidates().map((c) => [c.id, c]));
    const repliedBefore = new Set(before.llmCalls().filter((c) => c.reply !== null).map((c) => c.candidateId));
    before.close();
    // Killed between checkpoints, with asks and tells journalled since the last one.
    expect(count(dir, 'SELECT COUNT(*) AS n FROM schedule_events')).toBeGreaterThan(0);

    const second = startCli(['resume', dir], env);
    const code = await second.exit;
    expect(code, second.output()).toBe(0);

    const store = RunStore.open(dir, { readonly: true });
    const candidates = store.candidates();
    const calls = store.llmCalls();
    const stats = store.generationStats();
    store.close();
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;

    const offspring = candidates.filter((c) => c.generation >= 0);
    expect(offspring).toHaveLength(2000);
    for (let g = 0; g < 20; g++) for (let i = 0; i < 100; i++) expect(offspring[g * 100 + i]?.id).toBe(`g${g}-${i}`);
    for (const [id, old] of finishedBefore) {
      const now = candidates.find((c) => c.id === id);
      expect({ ...now, status: null }).toEqual({ ...old, status: null });
    }
    const replied = calls.filter((c) => c.reply !== null).map((c) => c.candidateId);
    expect(new Set(replied).size).toBe(replied.length);
    expect(replied.filter((id) => repliedBefore.has(id))).toHaveLength(repliedBefore.size);

    expect(stats.map((s) => s.generation)).toEqual(Array.from({ length: 21 }, (_, g) => g - 1));
    for (const s of stats.filter((s) => s.generation >= 0)) expect(s.valid + s.failed).toBe(100);
    expect(offspring.every((c) => c.status !== null)).toBe(true);
    expect(summary.status).toBe('completed');
    expect(summary.evaluations).toBe(2000);
    expect(summary.generations.completed).toBe(20);
    expect(summary.tokens.calls).toBe(calls.length);
    expect(count(dir, 'SELECT COUNT(*) AS n FROM schedule_events')).toBe(0);
  }, 600_000);
});
