/**
 * Anytime curves of strategies on NAS-Bench-201 with a simulated LLM, in this process: each seed
 * a real run through the Runner, the oracle and the run store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runner, RunStore, resolveConfig, type StrategyFactory } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { anytimeAt, anytimeCurve } from '@llmatic/report';
import { inProcessProvider } from './in-process-provider.js';
import { simulatedLLM, type SimulatedLLMKind, type SimulatedLLMOptions } from './simulated-llm.js';

export interface MeasureOptions {
  table: string;
  strategy: StrategyFactory;
  llm?: SimulatedLLMKind;
  llmOptions?: SimulatedLLMOptions;
  seeds: readonly number[];
  generations: number;
  batchSize: number;
  budgets: readonly number[];
}

/** Test accuracy of the validation-selected cell at each budget, one array (over seeds) per budget. */
export async function measureAnytime(options: MeasureOptions): Promise<Map<number, number[]>> {
  const root = mkdtempSync(join(tmpdir(), 'llmatic-quality-'));
  const byBudget = new Map<number, number[]>(options.budgets.map((b) => [b, []]));
  try {
    for (const seed of options.seeds) {
      const dir = join(root, `seed-${seed}`);
      const llm = options.llm ? inProcessProvider(simulatedLLM(options.llm, options.llmOptions)) : undefined;
      const config = resolveConfig({
        ...nasBench201({ dataset: 'cifar10', table: options.table }),
        strategy: options.strategy,
        ...(llm ? { llm } : {}),
        generations: options.generations,
        batchSize: options.batchSize,
        seed,
        concurrency: { llm: 4 },
      });
      const summary = await Runner.start(config, { dir }).execute();
      if (summary.status !== 'completed') throw new Error(`seed ${seed}: run ${summary.status}`);
      const store = RunStore.open(dir, { readonly: true });
      const curve = anytimeCurve(store.candidates());
      store.close();
      for (const budget of options.budgets) {
        const value = anytimeAt(curve, budget)?.value;
        if (typeof value === 'number') byBudget.get(budget)?.push(value);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return byBudget;
}
