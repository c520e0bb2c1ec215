export { writeReport, renderReport, type ReportOptions, type ReportResult } from './report.js';
export { loadRunData, type RunData, type RunState, type LLMCallNumbers } from './data/run-data.js';
export { archivesOf, type ArchiveData, type MapAxis, type MapCell, type MapElite } from './data/archives.js';
export { buildReportModel, NB201_CELLS, type ReportModel, type EliteRow } from './data/report-model.js';
export { anytimeCurve, anytimeAt, type AnytimePoint, type ScoredCandidate } from './data/anytime.js';
export { runFigures } from './figures/run-figures.js';
export { archiveMapSpec, type ArchiveMapOptions } from './figures/archive-map.js';
export { renderFigure, renderVega, scopeSvgIds } from './render/render-svg.js';
export type { Figure, RenderedFigure } from './render/figure.js';
export {
  runExperiment,
  type ExperimentOptions,
  type ExperimentOutcome,
  type ExperimentEvent,
} from './experiment/run-experiment.js';
export {
  experimentVariants,
  parseAblations,
  parseStrategies,
  EXPERIMENT_STRATEGIES,
  type ExperimentStrategy,
  type ExperimentVariant,
} from './experiment/variants.js';
export { readRunResult, runFolderState, type RunResult, type RunFolderState } from './experiment/run-result.js';
export {
  summariseRuns,
  budgetsFor,
  EXPERIMENT_METRICS,
  METRIC_LABELS,
  BUDGETS,
  type ExperimentMetric,
  type VariantSummary,
} from './experiment/summarise.js';
export { meanSd, type MeanSd } from './experiment/statistics.js';
export { writeExperimentResults, type ExperimentFiles } from './experiment/write-results.js';
export { experimentMarkdown, formatMeanSd, type ExperimentDescription } from './experiment/markdown.js';
export { experimentFitnessFigure, experimentAnytimeFigure, anytimeGrid } from './experiment/figures.js';
