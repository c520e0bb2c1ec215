// Search quality on NAS-Bench-201 CIFAR-10: `llmatic experiment` on the example config, driven by
// SIMULATED code LLMs (test/support/simulated-llms/, not language models) over the OpenAI wire
// protocol (the test suite's double and the real `openai` client), against random search and
// regularized evolution at equal budget. Writes the anytime tables (test accuracy of the cell
// selected by validation accuracy, mean over seeds) into the bench JSON and
// bench/results/search-quality.md.
//
//   LLMATIC_QUALITY_SEEDS   seeds per variant (default 6)
//   LLMATIC_NB201_TABLE     the table (default ../shared/data/nas-bench-201/nb201.csv.gz)
//
// Needs the built packages (npm run bench builds them). About 10 minutes on 2 cores.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const table = process.env.LLMATIC_NB201_TABLE ?? resolve(root, '../shared/data/nas-bench-201/nb201.csv.gz');
const seeds = Number(process.env.LLMATIC_QUALITY_SEEDS ?? 6);
const BUDGETS = ['50', '100', '200', '500', '1000', '2000'];
const BROKEN = 0.1;

/** Experiments: (simulated LLM, preset, strategies, ablations). Baselines need no LLM: run once. */
const PLAN = [
  { llm: 'instruction-following', preset: 'recommended', strategies: 'llmatic,random,evolution', ablations: 'network-archive-only' },
  { llm: 'edit-only', preset: 'recommended', strategies: 'llmatic', ablations: 'network-archive-only' },
  { llm: 'whole-rewrite', preset: 'recommended', strategies: 'llmatic', ablations: 'network-archive-only' },
  { llm: 'instruction-following', preset: 'paper', strategies: 'llmatic', ablations: 'network-archive-only' },
  { llm: 'edit-only', preset: 'paper', strategies: 'llmatic', ablations: null },
];

function cli(args, env) {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [join(root, 'packages/cli/bin/llmatic.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? done(output) : failed(new Error(`llmatic ${args[0]} exited with ${code}:\n${output.slice(-3000)}`))));
  });
}

function rowsOf(resultsFile, label) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  return results.variants.map((v) => ({
    variant: `${label} ${v.variant}`,
    runs: v.runs,
    byBudget: Object.fromEntries(BUDGETS.map((b) => [b, v.byBudget[b]?.mean ?? null])),
  }));
}

function markdown(rows) {
  const head = `| variant | runs | ${BUDGETS.map((b) => Number(b).toLocaleString('en-US')).join(' | ')} |`;
  const line = `|---|---|${BUDGETS.map(() => '---').join('|')}|`;
  const body = rows.map((r) => `| ${r.variant} | ${r.runs} | ${BUDGETS.map((b) => (r.byBudget[b] === null ? '-' : r.byBudget[b].toFixed(2))).join(' | ')} |`);
  return [head, line, ...body].join('\n');
}

export default async function run() {
  if (!existsSync(table)) return { skipped: `no NAS-Bench-201 table at ${table} (set LLMATIC_NB201_TABLE)` };
  const jiti = createJiti(import.meta.url, { interopDefault: true });
  const { startOpenAIServer } = await jiti.import(join(root, 'test/doubles/openai-server.ts'));
  const { simulatedLLM } = await jiti.import(join(root, 'test/support/simulated-llms/simulated-llm.ts'));
  const work = mkdtempSync(join(tmpdir(), 'llmatic-quality-'));
  const rows = [];
  const started = performance.now();
  try {
    for (const step of PLAN) {
      const server = await startOpenAIServer({ models: ['simulated'], reply: simulatedLLM(step.llm, { broken: BROKEN }) });
      try {
        const out = join(work, `${step.llm}-${step.preset}`);
        const args = ['experiment', 'examples/nasbench201/llmatic.config.ts', '--seeds', String(seeds), '--strategies', step.strategies, '--out', out];
        if (step.ablations) args.push('--ablations', step.ablations);
        await cli(args, {
          LLMATIC_LLM: 'openai',
          OPENAI_BASE_URL: server.url,
          OPENAI_API_KEY: 'none',
          LLMATIC_MODEL: 'simulated',
          LLMATIC_NB201_TABLE: table,
          LLMATIC_PRESET: step.preset,
        });
        for (const row of rowsOf(join(out, 'results.json'), `${step.llm} LLM, ${step.preset}:`)) {
          // Baselines use no LLM: label them once, without the LLM's name.
          if (/ (random|evolution)$/.test(row.variant)) row.variant = row.variant.replace(/^.*: /, '(no LLM) ');
          rows.push(row);
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table_ = markdown(rows);
  const resultsDir = join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'search-quality.md'),
    `# Search quality on NAS-Bench-201 CIFAR-10 (simulated LLMs, not language models)\n\n` +
      `Test accuracy (%) of the cell selected by validation accuracy after n evaluations, mean over ${seeds} seeds ` +
      `(seeds 0..${seeds - 1}), 20 generations x 100, \`llmatic experiment examples/nasbench201/llmatic.config.ts\`; ` +
      `LLM replies from test/support/simulated-llms/ over the OpenAI protocol, ${BROKEN * 100}% of them broken.\n\n${table_}\n`,
  );
  console.log(table_);
  return {
    seeds,
    brokenShare: BROKEN,
    minutes: { value: (performance.now() - started) / 60_000, unit: 'min' },
    anytime: Object.fromEntries(rows.map((r) => [r.variant, r.byBudget])),
  };
}
