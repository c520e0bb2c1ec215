import type { MeanSd } from './statistics.js';
import { EXPERIMENT_METRICS, METRIC_LABELS, type ExperimentMetric, type VariantSummary } from './summarise.js';

const DIGITS: Record<ExperimentMetric, number> = { bestFitness: 2, bestTestAccuracy: 2, coverage: 1, qdScore: 1, failures: 1 };

/** `94.26 ± 0.13`, `94.26` for one run, `–` for none; coverage in percent. */
export function formatMeanSd(value: MeanSd, digits: number, scale = 1, unit = ''): string {
  if (value.mean === null) return '–';
  const mean = (value.mean * scale).toFixed(digits);
  return value.sd === null ? `${mean}${unit}` : `${mean} ± ${(value.sd * scale).toFixed(digits)}${unit}`;
}

function cell(summary: VariantSummary, metric: ExperimentMetric): string {
  const value = summary.metrics[metric];
  return metric === 'coverage' ? formatMeanSd(value, DIGITS[metric], 100, '%') : formatMeanSd(value, DIGITS[metric]);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export interface ExperimentDescription {
  seeds: number[];
  generations: number;
  batchSize: number;
  configPath: string | null;
  space: string;
  evaluator: string;
}

/** `results.md`: the mean ± sd table, the by-budget table, and the figures. */
export function experimentMarkdown(
  description: ExperimentDescription,
  summaries: readonly VariantSummary[],
  figures: readonly { file: string; title: string }[],
): string {
  const seeds = description.seeds;
  const seedText = seeds.length === 0 ? 'none' : seeds.length === 1 ? String(seeds[0]) : `${seeds[0]}..${seeds.at(-1)}`;
  const unfinished = summaries.filter((s) => s.unfinished > 0);
  const main = table(
    ['variant', 'runs', ...EXPERIMENT_METRICS.map((m) => METRIC_LABELS[m])],
    summaries.map((s) => [s.variant, String(s.runs), ...EXPERIMENT_METRICS.map((m) => cell(s, m))]),
  );
  const budgets = Object.keys(summaries[0]?.byBudget ?? {});
  const byBudget =
    budgets.length > 0 && summaries.some((s) => Object.values(s.byBudget).some((v) => v.n > 0))
      ? `\n## Test accuracy of the selected candidate by budget\n\nAfter n evaluations, the test accuracy of the candidate with the best fitness so far (mean ± sd over seeds; compare SPEC.md's table).\n\n${table(
          ['variant', ...budgets.map((b) => `${Number(b).toLocaleString('en-US')}`)],
          summaries.map((s) => [s.variant, ...budgets.map((b) => formatMeanSd(s.byBudget[b] ?? { mean: null, sd: null, n: 0, values: [] }, 2))]),
        )}\n`
      : '';
  return `# Experiment results

${seeds.length} seed(s) per variant (${seedText}), ${description.generations} generations x ${description.batchSize} offspring, on ${description.space} (${description.evaluator})${description.configPath ? `; config \`${description.configPath}\`` : ''}.
Mean ± sd (sample standard deviation) over the finished runs of each variant. The selected candidate is the first to reach the best fitness; its test accuracy is never used to select.${unfinished.length > 0 ? `\n\n**Unfinished runs left out:** ${unfinished.map((s) => `${s.variant} (${s.unfinished})`).join(', ')}. Run the same \`llmatic experiment\` command again to finish them.` : ''}

${main}
${byBudget}
## Figures

${figures.map((f) => `![${f.title}](${f.file})`).join('\n\n')}
`;
}
