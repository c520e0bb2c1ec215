import type { ArchiveData } from '../data/archives.js';
import { anytimeCurve } from '../data/anytime.js';
import type { RunData } from '../data/run-data.js';
import {
  archivesPerGeneration,
  fitnessPerGeneration,
  outcomesPerGeneration,
  tokensPerGeneration,
} from '../data/series.js';
import type { Figure } from '../render/figure.js';
import { archiveMapSpec } from './archive-map.js';
import { HEIGHT, OUTCOME_COLOURS, WIDTH, vegaLite } from './theme.js';

const generationAxis = { title: 'generation', tickMinStep: 1, format: 'd' } as const;

/** What the run's fitness measures, for axis titles (`fitness (cifar10_valid_acc)`). */
export function fitnessTitle(data: RunData): string {
  const column = data.candidates.find((c) => c.info?.fitnessColumn)?.info?.fitnessColumn;
  return column ? `fitness (${column})` : 'fitness';
}

export function bestFitnessFigure(data: RunData): Figure {
  const seed = data.candidates.find((c) => c.generation < 0);
  const layers: unknown[] = [
    {
      data: { values: fitnessPerGeneration(data) },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'generation', type: 'quantitative', axis: generationAxis },
        y: { field: 'fitness', type: 'quantitative', scale: { zero: false }, title: fitnessTitle(data) },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['best so far', 'best of the generation'] } },
        strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: ['best so far', 'best of the generation'], range: [[1, 0], [4, 3]] } },
      },
    },
  ];
  if (seed?.ok && seed.fitness !== null) {
    layers.push(
      { data: { values: [{ fitness: seed.fitness }] }, mark: { type: 'rule', color: '#888888', strokeDash: [2, 2] }, encoding: { y: { field: 'fitness', type: 'quantitative' } } },
      {
        data: { values: [{ fitness: seed.fitness, text: 'seed network' }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#666666', x: 0 },
        encoding: { y: { field: 'fitness', type: 'quantitative' }, text: { field: 'text' } },
      },
    );
  }
  return {
    id: 'best-fitness',
    title: 'Best fitness per generation',
    caption: 'The best fitness found so far (solid) and the best offspring of each generation (dashed); the dotted line is the seed network.',
    spec: vegaLite({ width: WIDTH, height: HEIGHT, layer: layers }),
  };
}

export function archiveMapFigure(archive: ArchiveData, data: RunData): Figure {
  const filled = archive.elites.length;
  if (archive.source === 'prompts') {
    return {
      id: 'prompt-archive',
      title: 'Prompt archive',
      caption: `Each cell is a niche of the prompt archive over (mutation prompt, temperature), coloured by the collective fitness of its prompt individual; grey cells are empty. ${filled} of ${archive.niches} niches filled.`,
      spec: { kind: 'vega', spec: archiveMapSpec(archive, { colourTitle: 'prompt fitness' }) },
    };
  }
  const what = archive.source === 'networks' ? 'network archive' : 'result archive (every valid offspring offered to a CVT archive)';
  return {
    id: 'network-archive',
    title: 'Network archive',
    caption: `Each cell is a niche of the ${what}, coloured by its elite's ${fitnessTitle(data)}; grey cells are empty; dots are the elites at their own descriptors. ${filled} of ${archive.niches} niches filled.`,
    spec: { kind: 'vega', spec: archiveMapSpec(archive, { colourTitle: 'fitness' }) },
  };
}

export function outcomesFigure(data: RunData): Figure {
  const values = outcomesPerGeneration(data);
  const present = new Set(values.map((v) => v.outcome));
  const domain = Object.keys(OUTCOME_COLOURS).filter((o) => present.has(o as never));
  return {
    id: 'offspring',
    title: 'Valid and untrainable offspring per generation',
    caption: 'Offspring of each generation that were evaluated (valid) or failed, by failure reason.',
    spec: vegaLite({
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'generation', type: 'ordinal', title: 'generation', axis: { labelAngle: 0 } },
        y: { field: 'count', type: 'quantitative', aggregate: 'sum', title: 'offspring' },
        color: {
          field: 'outcome',
          type: 'nominal',
          title: 'outcome',
          scale: { domain, range: domain.map((o) => OUTCOME_COLOURS[o] ?? '#999999') },
          sort: domain,
        },
        order: { field: 'outcome', sort: 'ascending' },
      },
    }),
  };
}

export function archivesFigure(data: RunData): Figure {
  const values = archivesPerGeneration(data);
  const panel = (field: 'coverage' | 'qdScore', title: string, format?: string) => ({
    width: WIDTH / 2 - 20,
    height: HEIGHT,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'generation', type: 'quantitative', axis: generationAxis },
      y: { field, type: 'quantitative', title, ...(format ? { axis: { format } } : {}) },
      color: { field: 'archive', type: 'nominal', title: null },
    },
  });
  return {
    id: 'coverage-qd',
    title: 'Coverage and QD-score per generation',
    caption: 'Coverage (share of niches filled) and QD-score (sum of the elites\' fitness) of the run\'s result archive and of the strategy\'s own archives.',
    spec: vegaLite({
      data: { values },
      hconcat: [panel('coverage', 'coverage', '.0%'), panel('qdScore', 'QD-score')],
    }),
  };
}

export function tokensFigure(data: RunData): Figure | undefined {
  if (data.llmCalls.length === 0) return undefined;
  return {
    id: 'tokens',
    title: 'LLM tokens per generation',
    caption: 'Prompt and completion tokens of the LLM calls of each generation, as the provider counted them.',
    spec: vegaLite({
      width: WIDTH,
      height: HEIGHT,
      data: { values: tokensPerGeneration(data) },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'generation', type: 'ordinal', title: 'generation', axis: { labelAngle: 0 } },
        y: { field: 'tokens', type: 'quantitative', aggregate: 'sum', title: 'tokens' },
        color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['prompt', 'completion'] } },
      },
    }),
  };
}

export function latencyFigure(data: RunData): Figure | undefined {
  if (data.llmCalls.length === 0) return undefined;
  const values = data.llmCalls.map((call) => ({ generation: call.generation, seconds: call.latencyMs / 1000 }));
  return {
    id: 'latency',
    title: 'LLM latency per generation',
    caption: 'Seconds per LLM call (box: quartiles; whiskers: 1.5 IQR; dots: outliers), failed calls included.',
    spec: vegaLite({
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: 'boxplot', extent: 1.5 },
      encoding: {
        x: { field: 'generation', type: 'ordinal', title: 'generation', axis: { labelAngle: 0 } },
        y: { field: 'seconds', type: 'quantitative', title: 'latency (s)', scale: { zero: true } },
      },
    }),
  };
}

/** The test accuracy of the candidate selected by fitness, after each evaluation (runs whose metrics have it). */
export function anytimeFigure(data: RunData): Figure | undefined {
  const curve = anytimeCurve(data.candidates);
  if (!curve.some((p) => p.value !== null)) return undefined;
  const values = curve.flatMap((p) => [
    { evaluations: p.evaluations, series: 'best fitness', value: p.fitness },
    ...(p.value === null ? [] : [{ evaluations: p.evaluations, series: 'its test accuracy', value: p.value }]),
  ]);
  return {
    id: 'anytime',
    title: 'Test accuracy of the candidate selected by fitness',
    caption: 'After each evaluation: the best fitness so far and the test accuracy of the candidate that has it (the test split is never used to select).',
    spec: vegaLite({
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'evaluations', type: 'quantitative', title: 'evaluations' },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: 'accuracy' },
        color: { field: 'series', type: 'nominal', title: null },
      },
    }),
  };
}

/** Every figure of a run report, in page order (figures without data are left out). */
export function runFigures(data: RunData): Figure[] {
  const figures: (Figure | undefined)[] = [
    bestFitnessFigure(data),
    anytimeFigure(data),
    data.archives.networks && data.archives.networks.axes.length === 2 ? archiveMapFigure(data.archives.networks, data) : undefined,
    data.archives.prompts ? archiveMapFigure(data.archives.prompts, data) : undefined,
    outcomesFigure(data),
    archivesFigure(data),
    tokensFigure(data),
    latencyFigure(data),
  ];
  return figures.filter((f): f is Figure => f !== undefined);
}
