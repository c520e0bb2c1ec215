import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderFigure } from '../render/render-svg.js';
import type { Figure } from '../render/figure.js';
import { experimentAnytimeFigure, experimentFitnessFigure } from './figures.js';
import { experimentMarkdown, type ExperimentDescription } from './markdown.js';
import type { RunResult } from './run-result.js';
import { summariseRuns, type VariantSummary } from './summarise.js';

/** What {@link writeExperimentResults} wrote. */
export interface ExperimentFiles {
  markdown: string;
  json: string;
  figures: Record<string, string>;
  summaries: VariantSummary[];
}

function write(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/**
 * Writes `results.md` and `results.json` (mean ± sd per variant and metric, and by budget) and the
 * figures (`figures/best-fitness.svg`, `figures/anytime.svg`) into the experiment folder.
 */
export async function writeExperimentResults(
  out: string,
  description: ExperimentDescription,
  variants: readonly string[],
  runs: readonly RunResult[],
): Promise<ExperimentFiles> {
  const evaluations = description.generations * description.batchSize;
  const summaries = summariseRuns(variants, runs, evaluations);
  const figureDir = join(out, 'figures');
  mkdirSync(figureDir, { recursive: true });
  const specs = [experimentFitnessFigure(runs, variants), experimentAnytimeFigure(runs, variants, evaluations)].filter(
    (f): f is Figure => f !== undefined,
  );
  const figures: Record<string, string> = {};
  const links: { file: string; title: string }[] = [];
  for (const spec of specs) {
    const figure = await renderFigure(spec);
    const file = join(figureDir, `${figure.id}.svg`);
    write(file, figure.svg);
    figures[figure.id] = file;
    links.push({ file: relative(out, file), title: figure.title });
  }
  const markdown = join(out, 'results.md');
  write(markdown, experimentMarkdown(description, summaries, links));
  const json = join(out, 'results.json');
  const runRows = runs.map(({ anytime: _anytime, perGeneration: _perGeneration, ...scalars }) => scalars);
  write(
    json,
    `${JSON.stringify({ version: 1, generatedAt: new Date().toISOString(), ...description, variants: summaries, runs: runRows }, null, 2)}\n`,
  );
  return { markdown, json, figures, summaries };
}
