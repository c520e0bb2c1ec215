/**
 * `llmatic experiment` on NAS-Bench-201 (LLMatic against the OpenAI double, random search,
 * regularized evolution; 2 seeds): killed with SIGKILL in the middle of a run, then run again
 * with the same command, which skips the finished runs, resumes the stopped one and starts the
 * rest; its tables agree with the run stores.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '@llmatic/core';
import { startOpenAIServer, type LLMDouble } from './doubles/openai-server.js';
import { nb201Reply } from './support/nb201-llm-double.js';
import { assertCliBuilt, sharedTable, startCli } from './support/cli.js';

const hasTable = existsSync(sharedTable);
if (!hasTable) console.warn(`SKIPPED experiment resume test: no NAS-Bench-201 table at ${sharedTable}`);

const root = mkdtempSync(join(tmpdir(), 'llmatic-experiment-'));
const GENERATIONS = 4;
const BATCH = 50;
const VARIANTS = ['llmatic', 'random', 'evolution'] as const;

function offspringCount(dir: string): number {
  const file = join(dir, 'run.db');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM candidates WHERE generation >= 0').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // created but without its schema yet
  }
}

function candidates(dir: string) {
  const store = RunStore.open(dir, { readonly: true });
  try {
    return { all: store.candidates(), stats: store.generationStats() };
  } finally {
    store.close();
  }
}

interface ResultsJson {
  seeds: number[];
  variants: { variant: string; runs: number; unfinished: number; metrics: Record<string, { mean: number | null; values: number[] }> }[];
  runs: { variant: string; seed: number; completed: boolean; bestFitness: number; bestTestAccuracy: number; coverage: number; failures: number; evaluations: number }[];
}

describe.skipIf(!hasTable)('llmatic experiment', () => {
  let server: LLMDouble;
  let env: Record<string, string>;
  beforeAll(async () => {
    assertCliBuilt();
    server = await startOpenAIServer({ models: ['coder-double'], reply: nb201Reply });
    env = { LLMATIC_LLM: 'openai', LLMATIC_MODEL: 'coder-double', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', LLMATIC_NB201_TABLE: sharedTable };
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('names the valid choices for a bad --strategies and creates nothing', async () => {
    const out = join(root, 'bad');
    const run = startCli(['experiment', 'examples/nasbench201/llmatic.config.ts', '--seeds', '2', '--strategies', 'llmatic,genetic', '--out', out], env);
    expect(await run.exit).toBe(2);
    expect(run.output()).toContain('unknown strategy "genetic"; choose from llmatic, random, evolution');
    expect(existsSync(out)).toBe(false);
  });

  it('resumes a half-finished experiment: finished runs skipped, the stopped one resumed', async () => {
    const out = join(root, 'exp');
    const args = [
      'experiment', 'examples/nasbench201/llmatic.config.ts', '--seeds', '2', '--strategies', VARIANTS.join(','),
      '--generations', String(GENERATIONS), '--batch-size', String(BATCH), '--out', out,
    ];
    // Runs go seed by seed: llmatic, random, evolution of seed 0, then of seed 1. Kill it in the
    // middle of llmatic's seed-1 run.
    const partialDir = join(out, 'llmatic', 'seed-1');
    const first = startCli(args, env);
    while (offspringCount(partialDir) < 20) {
      const exited = await Promise.race([first.exit, new Promise((r) => setTimeout(() => r('running'), 25))]);
      if (exited !== 'running') throw new Error(`the experiment ended before it could be killed:\n${first.output()}`);
    }
    first.child.kill('SIGKILL');
    await first.exit;

    const finished = VARIANTS.map((v) => join(out, v, 'seed-0'));
    const before = new Map(finished.map((dir) => [dir, { rows: candidates(dir).all, mtime: statSync(join(dir, 'run.db')).mtimeMs }]));
    for (const { rows } of before.values()) expect(rows.filter((c) => c.generation >= 0)).toHaveLength(GENERATIONS * BATCH);
    const partialBefore = candidates(partialDir).all;
    expect(partialBefore.length).toBeLessThan(GENERATIONS * BATCH + 1);
    expect(existsSync(join(out, 'random', 'seed-1'))).toBe(false);

    const second = startCli(args, env);
    const code = await second.exit;
    const output = second.output();
    expect(code, output).toBe(0);
    for (const v of VARIANTS) expect(output).toContain(`${v} seed 0: finished, skipped`);
    expect(output).toContain('llmatic seed 1: resuming');
    expect(output).toContain('random seed 1: starting');

    // Finished runs were not touched; the stopped run kept everything it had and completed.
    for (const [dir, { rows, mtime }] of before) {
      expect(candidates(dir).all).toEqual(rows);
      expect(statSync(join(dir, 'run.db')).mtimeMs).toBe(mtime);
    }
    const resumed = candidates(partialDir).all;
    for (const old of partialBefore) expect({ ...resumed.find((c) => c.id === old.id), status: null }).toEqual({ ...old, status: null });
    const resumedOffspring = resumed.filter((c) => c.generation >= 0);
    expect(resumedOffspring).toHaveLength(GENERATIONS * BATCH);
    expect(new Set(resumedOffspring.map((c) => c.id)).size).toBe(GENERATIONS * BATCH);

    // The tables agree with the run stores.
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsJson;
    expect(results.seeds).toEqual([0, 1]);
    expect(results.variants.map((v) => [v.variant, v.runs, v.unfinished])).toEqual(VARIANTS.map((v) => [v, 2, 0]));
    expect(results.runs).toHaveLength(6);
    for (const run of results.runs) {
      const { all, stats } = candidates(join(out, run.variant, `seed-${run.seed}`));
      const offspring = all.filter((c) => c.generation >= 0);
      const valid = offspring.filter((c) => c.ok);
      const best = Math.max(...valid.map((c) => c.fitness ?? -Infinity));
      const selected = valid.find((c) => c.fitness === best);
      expect(run).toMatchObject({
        completed: true,
        evaluations: GENERATIONS * BATCH,
        bestFitness: best,
        bestTestAccuracy: selected?.metrics?.testAccuracy,
        coverage: stats.at(-1)?.coverage,
        failures: offspring.length - valid.length,
      });
    }
    const llmatic = results.variants.find((v) => v.variant === 'llmatic');
    const expected = results.runs.filter((r) => r.variant === 'llmatic').map((r) => r.bestTestAccuracy);
    expect(llmatic?.metrics.bestTestAccuracy?.values).toEqual(expected);
    expect(llmatic?.metrics.bestTestAccuracy?.mean).toBeCloseTo(((expected[0] ?? 0) + (expected[1] ?? 0)) / 2, 10);
    expect(results.runs.filter((r) => r.variant === 'llmatic').every((r) => r.failures > 0)).toBe(true);
    const markdown = readFileSync(join(out, 'results.md'), 'utf8');
    for (const v of VARIANTS) expect(markdown).toMatch(new RegExp(`\\| ${v} \\| 2 \\| \\d+\\.\\d\\d ± \\d+\\.\\d\\d \\|`));
    expect(output).toContain('| variant | runs | best fitness |');
    for (const figure of ['best-fitness', 'anytime']) expect(readFileSync(join(out, 'figures', `${figure}.svg`), 'utf8')).toMatch(/^<svg/);
  }, 240_000);
});
