/**
 * The whole paper-sized NAS-Bench-201 search (20 x 100 = 2,000 candidates) through the CLI and
 * the example config, against a protocol-level OpenAI-compatible double; killed with SIGKILL
 * mid-run, resumed, and checked against the benchmark table.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, type RunSummary } from '@llmatic/core';
import { loadNb201Table, type Nb201Table } from '@llmatic/nasbench201';
import { startOpenAIServer, type LLMDouble } from './doubles/openai-server.js';
import { nb201Reply } from './support/nb201-llm-double.js';
import { assertCliBuilt, sharedTable, startCli, openAIDoubleEnv, sigkillAt } from './support/cli.js';

const hasTable = existsSync(sharedTable);
if (!hasTable) console.warn(`SKIPPED NAS-Bench-201 end-to-end test: no table at ${sharedTable}`);

function countCandidates(dir: string): number {
  const file = join(dir, 'run.db');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM candidates').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // the schema may not exist yet
  }
}

describe.skipIf(!hasTable)('NAS-Bench-201 end to end (CLI, 2,000 candidates, SIGKILL + resume)', () => {
  let server: LLMDouble;
  let table: Nb201Table;
  beforeAll(async () => {
    assertCliBuilt();
    server = await startOpenAIServer({ models: ['coder-double'], reply: nb201Reply });
    table = await loadNb201Table(sharedTable);
  });
  afterAll(async () => server?.close());

  it('loses and repeats no finished evaluation, and its summary agrees with the table', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'llmatic-e2e-')), 'run');
    const env = openAIDoubleEnv(server.url);
    const config = 'examples/nasbench201/llmatic.config.ts';
    const first = startCli(['run', config, '--out', dir], env);
    // Kill it without warning in the middle of generation 7 or so.
    await sigkillAt(first, () => countCandidates(dir), 750);

    const before = RunStore.open(dir, { readonly: true });
    const finishedBefore = new Map(before.candidates().map((c) => [c.id, c]));
    before.close();
    expect(finishedBefore.size).toBeGreaterThanOrEqual(750);
    expect(finishedBefore.size).toBeLessThan(2001);

    const second = startCli(['resume', dir], env);
    const code = await second.exit;
    expect(code, second.output()).toBe(0);

    const store = RunStore.open(dir, { readonly: true });
    const candidates = store.candidates();
    const calls = store.llmCalls();
    store.close();
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;

    // Every one of the 2,000 offspring exactly once (plus the seed network).
    const offspring = candidates.filter((c) => c.generation >= 0);
    expect(offspring).toHaveLength(2000);
    expect(new Set(offspring.map((c) => c.id)).size).toBe(2000);
    for (let g = 0; g < 20; g++) for (let i = 0; i < 100; i++) expect(offspring[g * 100 + i]?.id).toBe(`g${g}-${i}`);
    // Nothing finished before the kill was lost or evaluated again.
    for (const [id, old] of finishedBefore) {
      const now = candidates.find((c) => c.id === id);
      expect({ ...now, status: null }).toEqual({ ...old, status: null });
    }
    // No LLM reply was paid for twice.
    const replied = calls.filter((c) => c.reply !== null).map((c) => c.candidateId);
    expect(new Set(replied).size).toBe(replied.length);

    // The summary's numbers agree with the store and the table.
    expect(summary.status).toBe('completed');
    expect(summary.evaluations).toBe(2000);
    expect(summary.generations.completed).toBe(20);
    const failed = offspring.filter((c) => !c.ok);
    expect(Object.values(summary.failures).reduce((a, b) => a + (b ?? 0), 0)).toBe(failed.length);
    expect(failed.length).toBeGreaterThan(100); // the double breaks ~1 in 6 replies
    expect(summary.failures.extraction).toBeGreaterThan(0);
    expect(summary.failures.compile).toBeGreaterThan(0);
    const best = summary.best;
    expect(best).not.toBeNull();
    const row = table.row(best?.info?.arch ?? '');
    expect(row).toBeDefined();
    expect(best?.fitness).toBeCloseTo(table.value('cifar10_valid_acc', row ?? -1), 4);
    expect(best?.metrics.testAccuracy).toBeCloseTo(table.value('cifar10_test_acc', row ?? -1), 4);
    expect(best?.metrics.testRank).toBe(table.rank('cifar10_test_acc', row ?? -1));
    const bestValid = Math.max(...offspring.filter((c) => c.ok).map((c) => c.fitness ?? -1));
    expect(best?.fitness).toBe(bestValid);
    expect(summary.archive.elites).toBeGreaterThan(10);
    expect(summary.tokens.calls).toBe(calls.length);
  }, 600_000);
});
