/**
 * Does steady-state scheduling change sample efficiency? Anytime test accuracy (CIFAR-10) of the
 * validation-selected cell after 100 / 200 / 500 / 1,000 / 2,000 evaluations, both schedules,
 * random search, regularized evolution and LLMatic (a simulated LLM), a few seeds each. Each run
 * is a real NAS-Bench-201 run through the Runner, its evaluations on a virtual clock (8 slots,
 * lognormal times, sigma 0.8), so completion order is heavy-tailed as with real training and
 * every number is reproducible. Evaluations are counted in completion order.
 *
 *   npx vitest run --config bench/vitest.measure.config.ts
 *
 * Writes bench/results/steady-state-quality.json and prints a markdown table.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { InProcessExecutor, Runner, RunStore, llmatic, randomSearch, regularizedEvolution, resolveConfig, type RunEvent, type StrategyFactory } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { VirtualClockExecutor, drive } from '../packages/core/test/support/virtual-clock-executor.js';
import { inProcessProvider } from '../test/support/simulated-llms/in-process-provider.js';
import { simulatedLLM, type SimulatedLLMKind } from '../test/support/simulated-llms/simulated-llm.js';
import { sharedTable } from '../test/support/cli.js';

const BUDGETS = [100, 200, 500, 1000, 2000];
const SEEDS = (process.env.LLMATIC_SEEDS ?? '0,1,2,3,4').split(',').map(Number);
const SCHEDULES = ['generational', 'steady-state'] as const;
const STRATEGIES: [string, () => StrategyFactory, SimulatedLLMKind?][] = [
  ['random search', () => randomSearch()],
  ['regularized evolution', () => regularizedEvolution()],
  ['llmatic (instruction-following LLM)', () => llmatic(), 'instruction-following'],
  ['llmatic (edit-only LLM)', () => llmatic(), 'edit-only'],
].filter(([name]) => !process.env.LLMATIC_ONLY || (name as string).includes(process.env.LLMATIC_ONLY)) as [string, () => StrategyFactory, SimulatedLLMKind?][];

/** Test accuracy of the cell with the best validation accuracy among the first `n` completions. */
function anytime(order: readonly string[], scores: Map<string, { fitness: number; test: number }>): number[] {
  const values: number[] = [];
  let best: { fitness: number; test: number } | undefined;
  order.forEach((id, i) => {
    const score = scores.get(id);
    if (score && (!best || score.fitness > best.fitness)) best = score;
    if (BUDGETS.includes(i + 1)) values.push(best?.test ?? Number.NaN);
  });
  return values;
}

async function oneRun(strategy: StrategyFactory, llm: SimulatedLLMKind | undefined, schedule: (typeof SCHEDULES)[number], seed: number): Promise<number[]> {
  const root = mkdtempSync(join(tmpdir(), 'llmatic-quality-steady-'));
  try {
    const config = resolveConfig({
      ...nasBench201({ dataset: 'cifar10', table: sharedTable }),
      strategy,
      ...(llm ? { llm: inProcessProvider(simulatedLLM(llm)) } : {}),
      schedule,
      generations: 20,
      batchSize: 100,
      seed,
      concurrency: { llm: 4, evaluations: 8 },
    });
    const executor = new VirtualClockExecutor(new InProcessExecutor(config), 1000 + seed);
    const order: string[] = [];
    const onEvent = (event: RunEvent) => {
      if (event.type === 'offspring' && event.generation >= 0) order.push(event.id);
    };
    const dir = join(root, 'run');
    await drive(Runner.start(config, { dir, executor, onEvent }).execute(), executor);
    const store = RunStore.open(dir, { readonly: true });
    const scores = new Map<string, { fitness: number; test: number }>();
    for (const c of store.candidates()) {
      if (c.ok && c.fitness !== null && c.metrics?.testAccuracy !== undefined) scores.set(c.id, { fitness: c.fitness, test: c.metrics.testAccuracy });
    }
    store.close();
    return anytime(order, scores);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const meanSd = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean: Number(mean.toFixed(3)), sd: Number(sd.toFixed(3)) };
};

it.skipIf(!existsSync(sharedTable))('steady-state vs generational sample efficiency on NAS-Bench-201', async () => {
  const results: Record<string, Record<string, Record<number, { mean: number; sd: number }>>> = {};
  const lines = [`| strategy | schedule | ${BUDGETS.join(' | ')} |`, `|---|---|${BUDGETS.map(() => '---').join('|')}|`];
  for (const [name, strategy, llm] of STRATEGIES) {
    results[name] = {};
    for (const schedule of SCHEDULES) {
      const perSeed: number[][] = [];
      for (const seed of SEEDS) perSeed.push(await oneRun(strategy(), llm, schedule, seed));
      const row = Object.fromEntries(BUDGETS.map((b, i) => [b, meanSd(perSeed.map((values) => values[i] ?? Number.NaN))]));
      results[name][schedule] = row;
      lines.push(`| ${name} | ${schedule} | ${BUDGETS.map((b) => `${row[b]!.mean.toFixed(2)} +- ${row[b]!.sd.toFixed(2)}`).join(' | ')} |`);
      console.log(lines.at(-1));
    }
  }
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(
    join(import.meta.dirname, 'results', `steady-state-quality${process.env.LLMATIC_ONLY ? `-${process.env.LLMATIC_ONLY.replace(/\W+/g, '-')}` : ''}.json`),
    `${JSON.stringify({ date: new Date().toISOString(), seeds: SEEDS, slots: 8, sigma: 0.8, budgets: BUDGETS, results }, null, 2)}\n`,
  );
  console.log(lines.join('\n'));
});
