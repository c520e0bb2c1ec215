import type { Figure } from '../render/figure.js';
import { HEIGHT, WIDTH, vegaLite } from '../figures/theme.js';
import { anytimeAt } from '../data/anytime.js';
import type { RunResult } from './run-result.js';

/** Evaluation counts an anytime curve is sampled at: every count up to 100, then ~150 log-spaced ones. */
export function anytimeGrid(evaluations: number): number[] {
  const grid = new Set<number>();
  for (let n = 1; n <= Math.min(evaluations, 100); n++) grid.add(n);
  if (evaluations > 100) {
    const steps = 150;
    for (let i = 0; i <= steps; i++) grid.add(Math.round(100 * (evaluations / 100) ** (i / steps)));
  }
  return [...grid].filter((n) => n <= evaluations).sort((a, b) => a - b);
}

/** Paper's Figure 2 form: best fitness per generation, mean over seeds with a ± sd band. */
export function experimentFitnessFigure(runs: readonly RunResult[], variants: readonly string[]): Figure {
  const values = runs
    .filter((r) => r.completed)
    .flatMap((r) => r.perGeneration.map((p) => ({ variant: r.variant, seed: r.seed, generation: p.generation, fitness: p.bestFitness })));
  const encoding = {
    x: { field: 'generation', type: 'quantitative', axis: { title: 'generation', tickMinStep: 1, format: 'd' } },
    color: { field: 'variant', type: 'nominal', title: null, scale: { domain: [...variants] } },
  };
  return {
    id: 'best-fitness',
    title: 'Best fitness per generation (mean ± sd over seeds)',
    caption: 'For each variant, the best fitness found so far after each generation: the line is the mean over seeds, the band one standard deviation either side.',
    spec: vegaLite({
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      layer: [
        { mark: { type: 'errorband', extent: 'stdev', opacity: 0.25 }, encoding: { ...encoding, y: { field: 'fitness', type: 'quantitative', title: 'best fitness', scale: { zero: false } } } },
        { mark: { type: 'line' }, encoding: { ...encoding, y: { field: 'fitness', type: 'quantitative', aggregate: 'mean', title: 'best fitness' } } },
      ],
    }),
  };
}

/**
 * Anytime curves: test accuracy of the candidate selected by fitness against the number of
 * evaluations, mean over seeds with a ± sd band (log scale of evaluations). Undefined when no run
 * reports a test accuracy.
 */
export function experimentAnytimeFigure(runs: readonly RunResult[], variants: readonly string[], evaluations: number): Figure | undefined {
  const grid = anytimeGrid(evaluations);
  const values = runs
    .filter((r) => r.completed)
    .flatMap((r) =>
      grid.flatMap((n) => {
        const value = anytimeAt(r.anytime, n)?.value;
        return value === null || value === undefined ? [] : [{ variant: r.variant, seed: r.seed, evaluations: n, accuracy: value }];
      }),
    );
  if (values.length === 0) return undefined;
  const encoding = {
    x: { field: 'evaluations', type: 'quantitative', scale: { type: 'log', domain: [1, Math.max(2, evaluations)], nice: false }, axis: { title: 'evaluations (log scale)' } },
    color: { field: 'variant', type: 'nominal', title: null, scale: { domain: [...variants] } },
  };
  return {
    id: 'anytime',
    title: 'Test accuracy of the selected candidate vs evaluations (mean ± sd over seeds)',
    caption: 'After n evaluations, the test accuracy of the candidate with the best fitness so far (selection never reads the test split); line: mean over seeds, band: ± one standard deviation.',
    spec: vegaLite({
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      layer: [
        { mark: { type: 'errorband', extent: 'stdev', opacity: 0.25, interpolate: 'step-after' }, encoding: { ...encoding, y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false } } } },
        { mark: { type: 'line', interpolate: 'step-after' }, encoding: { ...encoding, y: { field: 'accuracy', type: 'quantitative', aggregate: 'mean', title: 'test accuracy' } } },
      ],
    }),
  };
}
