// Kernel overhead of a whole LLMatic run: the paper's NAS-Bench-201 setting (20 x 100 = 2,000
// candidates) with a zero-latency in-process provider and the oracle, so nearly all the time is
// the kernel's own (planning, prompt rendering, extraction, archives, SQLite journal, checkpoints).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, Runner, llmatic, resolveConfig } from '@llmatic/core';
import { mutateOps, nasBench201, parseCell, printCell } from '@llmatic/nasbench201';

const here = dirname(fileURLToPath(import.meta.url));
const table = process.env.LLMATIC_NB201_TABLE ?? resolve(here, '../../shared/data/nas-bench-201/nb201.csv.gz');

/** Answers at once with an edited parent cell (bench scaffolding, not a product provider). */
function instantProvider() {
  let calls = 0;
  return {
    name: 'instant',
    model: 'instant',
    async generate(request) {
      const text = request.messages?.map((m) => m.content).join('\n') ?? request.prompt ?? '';
      const block = /```[a-z]*\n([\s\S]*?)```/.exec(text);
      const parsed = parseCell(block?.[1] ?? '');
      const ops = parsed.ok ? [...parsed.cell.ops] : ['skip_connect', 'none', 'skip_connect', 'none', 'none', 'skip_connect'];
      const child = mutateOps(ops, Rng.derive(0, 'bench', calls++));
      return { text: `\`\`\`python\n${printCell(child)}\n\`\`\``, usage: { promptTokens: 100, completionTokens: 40 }, model: 'instant' };
    },
  };
}

export default async function run() {
  if (!existsSync(table)) return { skipped: `no NAS-Bench-201 table at ${table}` };
  const preset = nasBench201({ dataset: 'cifar10', table });
  // Load the table before timing: it is a one-off cost of the oracle, not per candidate.
  await preset.evaluator.evaluate((await preset.space.compiler.compile(preset.space.seed)).model, { candidateId: 'warm' });
  const dir = join(mkdtempSync(join(tmpdir(), 'llmatic-bench-')), 'run');
  const config = resolveConfig({ ...preset, llm: instantProvider(), strategy: llmatic(), generations: 20, batchSize: 100, seed: 1 });
  global.gc?.();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const started = performance.now();
  const runner = Runner.start(config, { dir });
  const setupMs = performance.now() - started;
  const summary = await runner.execute();
  const totalMs = performance.now() - started;
  clearInterval(sample);
  rmSync(dirname(dir), { recursive: true, force: true });
  const perCandidateMs = (totalMs - setupMs) / summary.evaluations;
  return {
    evaluations: summary.evaluations,
    overheadPerCandidate: { value: perCandidateMs, unit: 'ms', target: { max: 1 }, reference: 'issue 2 target' },
    setup: { value: setupMs, unit: 'ms', reference: 'run store + three CVT archives (centroids)' },
    total: { value: totalMs / 1000, unit: 's' },
    peakRss: { value: peakRss / 2 ** 20, unit: 'MiB' },
    peakHeapUsed: { value: peakHeap / 2 ** 20, unit: 'MiB' },
    bestValidation: summary.best?.fitness ?? null,
    bestTestAccuracy: summary.best?.metrics.testAccuracy ?? null,
  };
}
