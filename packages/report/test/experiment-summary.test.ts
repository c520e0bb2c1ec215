import { describe, expect, it } from 'vitest';
import { ConfigError, llmatic } from '@llmatic/core';
import {
  anytimeGrid,
  budgetsFor,
  experimentMarkdown,
  experimentVariants,
  formatMeanSd,
  meanSd,
  parseAblations,
  parseStrategies,
  summariseRuns,
  type RunResult,
} from '@llmatic/report';

function run(variant: string, seed: number, bestTestAccuracy: number, completed = true): RunResult {
  return {
    variant,
    seed,
    dir: `/x/${variant}/seed-${seed}`,
    completed,
    generationsCompleted: completed ? 2 : 1,
    evaluations: 200,
    bestFitness: bestTestAccuracy - 3,
    bestTestAccuracy,
    coverage: 0.2,
    qdScore: 100 + seed,
    failures: seed,
    perGeneration: [],
    anytime: [
      { evaluations: 50, fitness: 80, value: bestTestAccuracy - 1 },
      { evaluations: 200, fitness: 81, value: bestTestAccuracy },
    ],
  };
}

describe('experiment statistics', () => {
  it('computes the mean and the sample standard deviation', () => {
    expect(meanSd([])).toEqual({ mean: null, sd: null, n: 0, values: [] });
    expect(meanSd([94])).toMatchObject({ mean: 94, sd: null, n: 1 });
    const { mean, sd } = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean).toBe(5);
    expect(sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(formatMeanSd(meanSd([94.1, 94.3]), 2)).toBe('94.20 ± 0.14');
    expect(formatMeanSd(meanSd([0.25]), 1, 100, '%')).toBe('25.0%');
    expect(formatMeanSd(meanSd([]), 2)).toBe('–');
  });

  it('summarises finished runs per variant and leaves unfinished ones out', () => {
    const runs = [run('llmatic', 0, 94), run('llmatic', 1, 94.4), run('random', 0, 93.5), run('random', 1, 90, false)];
    const [a, b] = summariseRuns(['llmatic', 'random'], runs, 200);
    expect(a?.runs).toBe(2);
    expect(a?.metrics.bestTestAccuracy.mean).toBeCloseTo(94.2, 10);
    expect(a?.metrics.failures.values).toEqual([0, 1]);
    expect(a?.byBudget['50']?.mean).toBeCloseTo(93.2, 10);
    expect(a?.byBudget['200']?.values).toEqual([94, 94.4]);
    expect(b).toMatchObject({ runs: 1, unfinished: 1, seeds: [0] });
    expect(b?.metrics.bestTestAccuracy.values).toEqual([93.5]);
    const markdown = experimentMarkdown(
      { seeds: [0, 1], generations: 2, batchSize: 100, configPath: null, space: 'nasbench201', evaluator: 'oracle' },
      [a!, b!],
      [{ file: 'figures/anytime.svg', title: 'anytime' }],
    );
    expect(markdown).toContain('| llmatic | 2 | 91.20 ± 0.28 | 94.20 ± 0.28 | 20.0 ± 0.0% | 100.5 ± 0.7 | 0.5 ± 0.7 |');
    expect(markdown).toContain('| random | 1 | 90.50 | 93.50 |');
    expect(markdown).toContain('**Unfinished runs left out:** random (1)');
    expect(markdown).toContain('| variant | 50 | 100 | 200 |');
    expect(markdown).toContain('| llmatic | 93.20 ± 0.28 | 93.20 ± 0.28 | 94.20 ± 0.28 |');
    expect(markdown).toContain('![anytime](figures/anytime.svg)');
  });

  it("keeps SPEC.md's budgets within the evaluations, and samples anytime curves densely early", () => {
    expect(budgetsFor(2000)).toEqual([50, 100, 200, 500, 1000, 2000]);
    expect(budgetsFor(300)).toEqual([50, 100, 200, 300]);
    const grid = anytimeGrid(2000);
    expect(grid.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(grid.at(-1)).toBe(2000);
    expect(grid.length).toBeLessThan(260);
  });
});

describe('experiment variants', () => {
  it('parses strategies and ablations, naming the valid choices on a mistake', () => {
    expect(parseStrategies('llmatic, random,evolution')).toEqual(['llmatic', 'random', 'evolution']);
    expect(() => parseStrategies('llmatic,genetic')).toThrow(/unknown strategy "genetic"; choose from llmatic, random, evolution/);
    expect(parseAblations('all')).toEqual(['network-archive-only', 'prompt-archive-only', 'mutation-only', 'crossover-only', 'random-generation']);
    expect(parseAblations('mutation-only,none')).toEqual(['mutation-only']);
    expect(() => parseAblations('mutation')).toThrow(ConfigError);
  });

  it('builds one variant per strategy and ablation, keeping the config strategy options', () => {
    const base = llmatic({ centroidSamples: 500, initThreshold: 5 });
    const variants = experimentVariants({ strategies: ['llmatic', 'random', 'evolution'], ablations: ['mutation-only'], base });
    expect(variants.map((v) => v.name)).toEqual(['llmatic', 'llmatic-mutation-only', 'random', 'evolution']);
    expect(variants.map((v) => v.strategy.name)).toEqual(['llmatic', 'llmatic', 'random-search', 'regularized-evolution']);
    expect(variants[1]?.strategy.options).toMatchObject({ ablation: 'mutation-only', centroidSamples: 500, initThreshold: 5 });
    expect(variants.map((v) => v.strategy.usesLLM)).toEqual([true, true, false, false]);
    expect(() => experimentVariants({ strategies: ['random'], ablations: ['mutation-only'] })).toThrow(/add llmatic to --strategies/);
  });
});
