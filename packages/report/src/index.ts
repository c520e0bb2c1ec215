export { writeReport, renderReport, type ReportOptions, type ReportResult } from './report.js';
export { loadRunData, type RunData, type RunState, type LLMCallNumbers } from './data/run-data.js';
export { archivesOf, type ArchiveData, type MapAxis, type MapCell, type MapElite } from './data/archives.js';
export { buildReportModel, NB201_CELLS, type ReportModel, type EliteRow } from './data/report-model.js';
export { anytimeCurve, anytimeAt, type AnytimePoint, type ScoredCandidate } from './data/anytime.js';
export { runFigures } from './figures/run-figures.js';
export { archiveMapSpec, type ArchiveMapOptions } from './figures/archive-map.js';
export { renderFigure, renderVega, scopeSvgIds } from './render/render-svg.js';
export type { Figure, RenderedFigure } from './render/figure.js';
