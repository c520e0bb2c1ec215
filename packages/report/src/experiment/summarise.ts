import { anytimeAt } from '../data/anytime.js';
import type { RunResult } from './run-result.js';
import { meanSd, type MeanSd } from './statistics.js';

/** The metrics of the experiment table, in column order. */
export const EXPERIMENT_METRICS = ['bestFitness', 'bestTestAccuracy', 'coverage', 'qdScore', 'failures'] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

export const METRIC_LABELS: Record<ExperimentMetric, string> = {
  bestFitness: 'best fitness',
  bestTestAccuracy: 'test accuracy of the selected candidate',
  coverage: 'coverage',
  qdScore: 'QD-score',
  failures: 'failed offspring',
};

/** SPEC.md's budgets; the table keeps those within the runs' evaluations. */
export const BUDGETS = [50, 100, 200, 500, 1000, 2000] as const;

/** Mean ± sd of a variant over its finished runs. */
export interface VariantSummary {
  variant: string;
  /** Finished runs summarised. */
  runs: number;
  /** Runs found but not finished (left out of the numbers). */
  unfinished: number;
  seeds: number[];
  metrics: Record<ExperimentMetric, MeanSd>;
  /** Test accuracy of the selected candidate after `budget` evaluations, by budget. */
  byBudget: Record<string, MeanSd>;
}

export function budgetsFor(evaluations: number): number[] {
  const budgets: number[] = BUDGETS.filter((b) => b <= evaluations);
  if (evaluations > 0 && !budgets.includes(evaluations)) budgets.push(evaluations);
  return budgets;
}

/** Mean ± sd per variant and metric over the finished runs (in the order the variants are given). */
export function summariseRuns(variants: readonly string[], runs: readonly RunResult[], evaluations: number): VariantSummary[] {
  const budgets = budgetsFor(evaluations);
  return variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    const done = mine.filter((r) => r.completed);
    const metric = (key: ExperimentMetric) =>
      meanSd(done.flatMap((r) => (r[key] === null || r[key] === undefined ? [] : [r[key] as number])));
    const metrics = Object.fromEntries(EXPERIMENT_METRICS.map((key) => [key, metric(key)])) as Record<ExperimentMetric, MeanSd>;
    const byBudget = Object.fromEntries(
      budgets.map((budget) => [
        String(budget),
        meanSd(done.flatMap((r) => {
          const value = anytimeAt(r.anytime, budget)?.value;
          return value === null || value === undefined ? [] : [value];
        })),
      ]),
    );
    return { variant, runs: done.length, unfinished: mine.length - done.length, seeds: done.map((r) => r.seed), metrics, byBudget };
  });
}
