import type { Config, TopLevelSpec } from 'vega-lite';
import type { Figure } from '../render/figure.js';

/** Shared look of every figure (Vega-Lite config). */
export const THEME: Config = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eeeeee' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', labelLimit: 480, titleLimit: 480 },
  title: { fontSize: 14, anchor: 'start' },
};

export const WIDTH = 420;
export const HEIGHT = 220;
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Colours of offspring outcomes: valid first, failures in warm colours. */
export const OUTCOME_COLOURS: Record<string, string> = {
  valid: '#4c9f70',
  extraction: '#e45756',
  compile: '#f58518',
  'output-shape': '#b279a2',
  'non-finite-loss': '#9d755d',
  'resource-cap': '#eeca3b',
  timeout: '#ff9da6',
  memory: '#bab0ac',
  'sandbox-violation': '#000000',
  evaluation: '#72b7b2',
  crash: '#54a24b',
  llm: '#4c78a8',
};

/** A Vega-Lite figure spec with the shared theme; `compile` checks it when the figure is rendered. */
export function vegaLite(spec: Record<string, unknown>): Figure['spec'] {
  return { kind: 'vega-lite', spec: { $schema: SCHEMA, config: THEME, ...spec } as TopLevelSpec };
}
