import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { runFigures } from './figures/run-figures.js';
import { buildReportModel, type ReportModel } from './data/report-model.js';
import { loadRunData, type RunData } from './data/run-data.js';
import { reportPage } from './html/page.js';
import { renderFigure } from './render/render-svg.js';
import type { RenderedFigure } from './render/figure.js';

export interface ReportOptions {
  /** The HTML file; default `<run>/report.html`. Figures go to `<name>-figures/` beside it. */
  out?: string;
}

/** What {@link writeReport} wrote. */
export interface ReportResult {
  html: string;
  /** One SVG file per figure, by figure id. */
  figures: Record<string, string>;
  data: RunData;
  model: ReportModel;
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Renders the report of a run folder (read-only: it may be running) into memory. */
export async function renderReport(runDir: string): Promise<{ html: string; figures: RenderedFigure[]; data: RunData; model: ReportModel }> {
  const data = loadRunData(resolve(runDir));
  const model = buildReportModel(data);
  const figures: RenderedFigure[] = [];
  for (const figure of runFigures(data)) figures.push(await renderFigure(figure));
  return { html: reportPage(data, model, figures), figures, data, model };
}

/**
 * `llmatic report`: writes one self-contained HTML file (inline CSS and SVG figures; it needs no
 * network to view) and each figure as an SVG file in `<name>-figures/` beside it.
 */
export async function writeReport(runDir: string, options: ReportOptions = {}): Promise<ReportResult> {
  const html = resolve(options.out ?? join(runDir, 'report.html'));
  const rendered = await renderReport(runDir);
  const figureDir = join(dirname(html), `${basename(html, extname(html))}-figures`);
  mkdirSync(figureDir, { recursive: true });
  const figures: Record<string, string> = {};
  for (const figure of rendered.figures) {
    const file = join(figureDir, `${figure.id}.svg`);
    writeAtomically(file, figure.svg);
    figures[figure.id] = file;
  }
  writeAtomically(html, rendered.html);
  return { html, figures, data: rendered.data, model: rendered.model };
}
