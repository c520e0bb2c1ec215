import type { RunData } from '../data/run-data.js';
import { NB201_CELLS, type EliteRow, type ReportModel } from '../data/report-model.js';
import type { RenderedFigure } from '../render/figure.js';
import { scopeSvgIds } from '../render/render-svg.js';
import { anchorId, escapeHtml as e } from './escape.js';
import { compact, duration, fixed, integer, percent } from './format.js';
import { PAGE_STYLE } from './style.js';

const codeAnchor = (id: string) => anchorId('code', id);

function candidateLink(id: string, model: ReportModel): string {
  const hasCode = model.elites.some((row) => row.id === id && row.code !== null) || model.best?.id === id;
  return hasCode ? `<a href="#${codeAnchor(id)}">${e(id)}</a>` : e(id);
}

function fact(key: string, label: string, valueHtml: string): string {
  return `<dt>${e(label)}</dt><dd data-fact="${e(key)}">${valueHtml}</dd>`;
}

function overview(data: RunData, model: ReportModel): string {
  const { manifest } = data;
  const last = model.last;
  const failed = model.evaluations - model.valid;
  const reasons = Object.entries(model.failures)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([reason, n]) => `${e(reason)} ${integer(n ?? 0)}`)
    .join(', ');
  const state =
    data.state === 'unknown' ? 'no summary yet' : data.state === 'stopped' && data.stopReason ? `stopped: ${data.stopReason}` : data.state;
  const best = model.best;
  const rows = [
    fact('state', 'state', e(state)),
    fact('strategy', 'strategy', `${e(manifest.strategy.name)} <details><summary>options</summary><pre>${e(JSON.stringify(manifest.strategy.options, null, 2))}</pre></details>`),
    fact('space', 'search space', e(manifest.space)),
    fact('evaluator', 'evaluator', e(manifest.evaluator)),
    fact('llm', 'LLM', manifest.llm ? e(`${manifest.llm.provider} / ${manifest.llm.model}`) : 'none'),
    fact('seed', 'seed', String(manifest.seed)),
    fact('generations', 'generations', `${model.generationsCompleted} of ${manifest.generations} (batch ${manifest.batchSize})`),
    fact(
      'evaluations',
      'evaluations',
      `${integer(model.evaluations)}${model.inProgress > 0 ? ` (${integer(model.inProgress)} in the unfinished generation)` : ''}`,
    ),
    fact('failed', 'failed offspring', `${integer(failed)}${failed > 0 ? ` (${reasons})` : ''}`),
    fact('seed-fitness', 'seed network fitness', model.seed?.ok ? fixed(model.seed.fitness) : e(model.seed?.failureReason ?? '–')),
    fact('best-fitness', 'best fitness', best ? `<span data-value>${fixed(best.fitness)}</span> (${candidateLink(best.id, model)}, generation ${best.generation})` : '–'),
    fact(
      'archive',
      'result archive',
      last ? `${integer(last.elites)} elites, coverage ${percent(last.coverage)}, QD-score ${fixed(last.qdScore, 2)}` : '–',
    ),
    fact(
      'tokens',
      'LLM tokens',
      model.tokens.calls > 0
        ? `${integer(model.tokens.prompt + model.tokens.completion)} (${integer(model.tokens.prompt)} prompt, ${integer(model.tokens.completion)} completion) in ${integer(model.tokens.calls)} calls${model.tokens.failedCalls > 0 ? `, ${integer(model.tokens.failedCalls)} failed` : ''}; mean latency ${fixed((model.tokens.meanLatencyMs ?? 0) / 1000, 2)} s`
        : 'no LLM calls',
    ),
    fact('elapsed', 'search time', last ? duration(last.elapsedMs / 1000) : '–'),
  ];
  return `<section id="overview"><h2>Overview</h2><dl class="facts">${rows.join('')}</dl></section>`;
}

function nasBench201Section(model: ReportModel): string {
  const nb = model.nasBench201;
  if (!nb) return '';
  const rank = (r: number | null) => (r === null ? '–' : `${integer(r)} of ${integer(NB201_CELLS)}`);
  return `<section id="nasbench201"><h2>NAS-Bench-201</h2><dl class="facts">
${fact('nb201-selected-test', 'test accuracy of the selected cell', `<span data-value>${fixed(nb.selectedTestAccuracy, 2)}</span>%`)}
${fact('nb201-selected-rank', 'its test rank', `<span data-value>${nb.selectedTestRank ?? '–'}</span>${nb.selectedTestRank === null ? '' : ` of ${integer(NB201_CELLS)}`}`)}
${fact('nb201-best-seen', 'best test accuracy evaluated (not selectable: it reads the test split)', `${fixed(nb.bestSeenTestAccuracy, 2)}% (rank ${rank(nb.bestSeenTestRank)}${nb.bestSeenId ? `, ${e(nb.bestSeenId)}` : ''})`)}
</dl><p class="note">The selected cell is the one with the best fitness (validation accuracy unless the oracle was told to select on test). Ranks are among the benchmark's ${integer(NB201_CELLS)} cells; 1 is the best.</p></section>`;
}

function figureHtml(figure: RenderedFigure): string {
  return `<figure id="fig-${e(figure.id)}" data-figure="${e(figure.id)}"><h3>${e(figure.title)}</h3>${scopeSvgIds(figure.svg, `fig-${figure.id}`)}<figcaption>${e(figure.caption)}</figcaption></figure>`;
}

interface Column {
  key: string;
  label: string;
  cell: (row: EliteRow) => string;
}

function eliteColumns(data: RunData, model: ReportModel): Column[] {
  const nb201 = data.manifest.space === 'nasbench201';
  const has = (metric: string) => model.elites.some((row) => typeof row.metrics[metric] === 'number');
  const metric = (key: string, label: string, digits: number): Column => ({ key, label, cell: (row) => fixed(row.metrics[key], digits) });
  const columns: Column[] = [
    { key: 'id', label: 'candidate', cell: (row) => candidateLink(row.id, model) },
    { key: 'niche', label: 'niche', cell: (row) => String(row.niche) },
    { key: 'fitness', label: 'fitness', cell: (row) => fixed(row.fitness) },
  ];
  if (has('testAccuracy')) columns.push(metric('testAccuracy', 'test accuracy', nb201 ? 2 : 4));
  if (has('testRank')) columns.push({ key: 'testRank', label: nb201 ? `test rank (of ${integer(NB201_CELLS)})` : 'test rank', cell: (row) => fixed(row.metrics.testRank, 0) });
  if (has('flops')) columns.push(metric('flops', nb201 ? 'FLOPs (M)' : 'FLOPs', 2));
  if (has('params')) columns.push(metric('params', nb201 ? 'params (M)' : 'params', 3));
  data.manifest.descriptors.forEach((descriptor, i) => {
    // A descriptor that is also a shown metric (NAS-Bench-201's FLOPs) would only repeat it.
    if (columns.some((c) => c.key === descriptor.name)) return;
    columns.push({ key: `descriptor-${descriptor.name}`, label: descriptor.label, cell: (row) => compact(row.descriptors[i]) });
  });
  columns.push({ key: 'generation', label: 'generation', cell: (row) => (row.generation === null ? '–' : String(row.generation)) });
  return columns;
}

function elitesSection(data: RunData, model: ReportModel): string {
  if (model.elites.length === 0) return '<section id="elites"><h2>Elites</h2><p>No elite yet.</p></section>';
  const source = data.archives.networks?.source === 'networks' ? 'the network archive' : 'the result archive';
  const columns = eliteColumns(data, model);
  const head = columns.map((c) => `<th data-column="${e(c.key)}">${e(c.label)}</th>`).join('');
  const body = model.elites
    .map((row) => `<tr data-id="${e(row.id)}">${columns.map((c) => `<td data-column="${e(c.key)}">${c.cell(row)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section id="elites"><h2>Elites</h2><p>${integer(model.elites.length)} elites of ${source}, best first.</p>
<div class="scroll"><table id="elites-table"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div></section>`;
}

function codeSection(model: ReportModel): string {
  const entries = new Map<string, { code: string; fitness: number | null; what: string }>();
  if (model.best?.code) entries.set(model.best.id, { code: model.best.code, fitness: model.best.fitness, what: 'best' });
  for (const row of model.elites) {
    if (row.code !== null && !entries.has(row.id)) entries.set(row.id, { code: row.code, fitness: row.fitness, what: `niche ${row.niche}` });
  }
  if (entries.size === 0) return '';
  const blocks = [...entries.entries()]
    .map(
      ([id, entry]) =>
        `<article class="code" id="${codeAnchor(id)}"><h3>${e(id)} <small>${e(entry.what)}, fitness ${fixed(entry.fitness)}</small></h3><pre><code>${e(entry.code)}</code></pre></article>`,
    )
    .join('\n');
  return `<section id="code"><h2>Code of the elites</h2>${blocks}</section>`;
}

/** The whole report page: one self-contained HTML file (inline CSS and SVG, no script, no network). */
export function reportPage(data: RunData, model: ReportModel, figures: readonly RenderedFigure[]): string {
  const name = data.dir.split(/[\\/]/).filter(Boolean).at(-1) ?? data.dir;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LLMatic report: ${e(name)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>LLMatic run report</h1><p class="dir">${e(data.dir)}</p></header>
<main>
${overview(data, model)}
${nasBench201Section(model)}
<section id="figures"><h2>Figures</h2>
${figures.map(figureHtml).join('\n')}
</section>
${elitesSection(data, model)}
${codeSection(model)}
</main>
<footer>Read from ${e(data.dir)}/run.db (read-only) at ${e(data.readAt)} by <code>llmatic report</code>.</footer>
</body>
</html>
`;
}
