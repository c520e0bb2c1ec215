/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `llmatic report` on real NAS-Bench-201 runs (LLMatic through the CLI against the OpenAI double,
 * and regularized evolution), opened in headless Chromium: every figure renders, nothing is
 * fetched, no console error, and the numbers on the page are the run store's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, Runner, cvtArchiveSnapshotSchema, regularizedEvolution, resolveConfig, type CandidateRecord } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { startOpenAIServer, type LLMDouble } from './doubles/openai-server.js';
import { nb201Reply } from './support/nb201-llm-double.js';
import { assertCliBuilt, sharedTable, startCli } from './support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const hasTable = existsSync(sharedTable);
const hasChromium = existsSync(CHROMIUM);
if (!hasTable) console.warn(`SKIPPED report browser test: no NAS-Bench-201 table at ${sharedTable}`);
if (!hasChromium) {
  // CI installs Chromium (.ci/run); a missing one there is a failure, not a skip.
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  console.warn(`SKIPPED report browser test: no ${CHROMIUM} (apt-get install -y chromium)`);
}

const root = mkdtempSync(join(tmpdir(), 'llmatic-report-'));
const llmaticDir = join(root, 'llmatic');
const evolutionDir = join(root, 'evolution');

function llmEnv(server: LLMDouble): Record<string, string> {
  return { LLMATIC_LLM: 'openai', LLMATIC_MODEL: 'coder-double', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', LLMATIC_NB201_TABLE: sharedTable };
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<string> {
  const run = startCli(args, env);
  const code = await run.exit;
  expect(code, run.output()).toBe(0);
  return run.output();
}

function readStore(dir: string) {
  const store = RunStore.open(dir, { readonly: true });
  try {
    return { candidates: store.candidates(), checkpoint: store.lastCheckpoint(), calls: store.llmCalls(), stats: store.generationStats() };
  } finally {
    store.close();
  }
}

interface PageFacts {
  facts: Record<string, string>;
  values: Record<string, string>;
  rows: { id: string; cells: Record<string, string>; href: string | null }[];
  figures: { id: string; width: number; height: number; marks: number; ink: number; cells: number }[];
  code: Record<string, string>;
}

async function readPage(page: Page): Promise<PageFacts> {
  return page.evaluate(() => {
    const facts: Record<string, string> = {};
    const values: Record<string, string> = {};
    for (const dd of document.querySelectorAll('dd[data-fact]')) {
      const key = dd.getAttribute('data-fact') ?? '';
      facts[key] = dd.textContent ?? '';
      const value = dd.querySelector('[data-value]');
      if (value) values[key] = value.textContent ?? '';
    }
    const rows = [...document.querySelectorAll('#elites-table tbody tr')].map((tr) => ({
      id: tr.getAttribute('data-id') ?? '',
      cells: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-column') ?? '', td.textContent ?? ''])),
      href: tr.querySelector('a')?.getAttribute('href') ?? null,
    }));
    const figures = [...document.querySelectorAll('figure[data-figure]')].map((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: figure.getAttribute('data-figure') ?? '',
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg?.querySelectorAll('g.role-mark > *').length ?? 0,
        // Drawn geometry of the data marks (lines, bars, cells, boxes), not of axes or legends.
        ink: [...(svg?.querySelectorAll('g.role-mark path') ?? [])].reduce((sum, path) => sum + (path.getAttribute('d')?.length ?? 0), 0),
        cells: svg?.querySelectorAll('g.niche-cells > path').length ?? 0,
      };
    });
    const code = Object.fromEntries([...document.querySelectorAll('article.code')].map((a) => [a.id, a.querySelector('pre')?.textContent ?? '']));
    return { facts, values, rows, figures, code };
  });
}

describe.skipIf(!hasTable || !hasChromium)('llmatic report in headless Chromium', () => {
  let server: LLMDouble;
  let browser: Browser;
  beforeAll(async () => {
    assertCliBuilt();
    server = await startOpenAIServer({ models: ['coder-double'], reply: nb201Reply });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const config = resolveConfig({
      ...nasBench201({ dataset: 'cifar10', table: sharedTable }),
      strategy: regularizedEvolution({ population: 50 }),
      generations: 6,
      batchSize: 25,
      seed: 4,
    });
    await Runner.start(config, { dir: evolutionDir }).execute();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function open(html: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  function expectNumbersOfStore(page: PageFacts, dir: string) {
    const { candidates, checkpoint, calls, stats } = readStore(dir);
    const offspring = candidates.filter((c) => c.generation >= 0);
    const byId = new Map<string, CandidateRecord>(candidates.map((c) => [c.id, c]));
    const last = stats.at(-1);
    expect(page.facts.evaluations).toBe(offspring.length.toLocaleString('en-US'));
    expect(page.facts.failed?.split(' ')[0]).toBe(String(offspring.filter((c) => !c.ok).length));
    expect(page.values['best-fitness']).toBe(last?.bestFitness?.toFixed(4));
    const best = byId.get(last?.bestId ?? '');
    expect(page.values['nb201-selected-test']).toBe(best?.metrics?.testAccuracy?.toFixed(2));
    expect(page.values['nb201-selected-rank']).toBe(String(best?.metrics?.testRank));
    expect(page.facts.archive).toContain(`${last?.elites} elites`);
    if (calls.length > 0) {
      const tokens = calls.reduce((sum, c) => sum + c.promptTokens + c.completionTokens, 0);
      expect(page.facts.tokens).toContain(`${tokens.toLocaleString('en-US')} (`);
      expect(page.facts.tokens).toContain(`in ${calls.length.toLocaleString('en-US')} calls`);
    } else {
      expect(page.facts.tokens).toBe('no LLM calls');
    }
    // The elites table is the network archive of the last checkpoint, row for row.
    const strategy = checkpoint?.strategy as { networks?: unknown };
    const archive = cvtArchiveSnapshotSchema.parse(strategy.networks ?? checkpoint?.resultArchive);
    const elites = archive.elites.map((e) => ({ id: (e.payload as { id: string }).id, fitness: e.fitness, niche: e.niche }));
    expect(page.rows.map((r) => r.id).sort()).toEqual(elites.map((e) => e.id).sort());
    for (const elite of elites) {
      const row = page.rows.find((r) => r.id === elite.id);
      const candidate = byId.get(elite.id);
      expect(row?.cells.fitness).toBe(elite.fitness.toFixed(4));
      expect(row?.cells.niche).toBe(String(elite.niche));
      expect(row?.cells.testAccuracy).toBe(candidate?.metrics?.testAccuracy?.toFixed(2));
      expect(row?.cells.flops).toBe(candidate?.metrics?.flops?.toFixed(2));
      expect(row?.cells.params).toBe(candidate?.metrics?.params?.toFixed(3));
      // Its link leads to its code, shown in the page.
      expect(row?.href).toBe(`#code-${elite.id}`);
      expect(page.code[`code-${elite.id}`]).toBe(candidate?.code);
    }
    return { niches: archive.niches };
  }

  it('renders every figure of an LLMatic run and states the store numbers', async () => {
    await cli(['run', 'examples/nasbench201/llmatic.config.ts', '--out', llmaticDir, '--generations', '5', '--batch-size', '40'], llmEnv(server));
    const html = join(root, 'llmatic-report', 'index.html');
    const output = await cli(['report', llmaticDir, '--out', html]);
    expect(output).toContain(html);
    const { page, problems, requests } = await open(html);
    const facts = await readPage(page);
    await page.close();
    expect(problems).toEqual([]);
    // Self-contained: the page itself is the only thing loaded.
    expect(requests).toEqual([pathToFileURL(html).href]);
    const ids = ['best-fitness', 'anytime', 'network-archive', 'prompt-archive', 'offspring', 'coverage-qd', 'tokens', 'latency'];
    expect(facts.figures.map((f) => f.id)).toEqual(ids);
    for (const figure of facts.figures) {
      expect(figure.width, figure.id).toBeGreaterThan(250);
      expect(figure.height, figure.id).toBeGreaterThan(150);
      expect(figure.marks, figure.id).toBeGreaterThan(0);
      expect(figure.ink, figure.id).toBeGreaterThan(200);
      // The same figure as an SVG file beside the page.
      const file = join(root, 'llmatic-report', 'index-figures', `${figure.id}.svg`);
      expect(readFileSync(file, 'utf8')).toMatch(/^<svg/);
    }
    const { niches } = expectNumbersOfStore(facts, llmaticDir);
    expect(facts.figures.find((f) => f.id === 'network-archive')?.cells).toBe(niches);
    // A niche per (instruction, temperature bin): 16 x 6.
    expect(facts.figures.find((f) => f.id === 'prompt-archive')?.cells).toBe(96);
    expect(facts.facts.llm).toBe('openai / coder-double');
    expect(facts.facts.state).toBe('completed');
  });

  it('reports an LLM-free run without LLM figures', async () => {
    await cli(['report', evolutionDir]);
    const html = join(evolutionDir, 'report.html');
    const { page, problems } = await open(html);
    const facts = await readPage(page);
    await page.close();
    expect(problems).toEqual([]);
    expect(facts.figures.map((f) => f.id)).toEqual(['best-fitness', 'anytime', 'network-archive', 'offspring', 'coverage-qd']);
    expect(facts.facts.strategy).toContain('regularized-evolution');
    expect(facts.facts.llm).toBe('none');
    expectNumbersOfStore(facts, evolutionDir);
  });

  it('reports a run while it is still going', async () => {
    const dir = join(root, 'live');
    const run = startCli(['run', 'examples/nasbench201/llmatic.config.ts', '--out', dir, '--generations', '40', '--batch-size', '50'], llmEnv(server));
    try {
      while (!existsSync(join(dir, 'run.db')) || readStore(dir).stats.length < 3) {
        const exited = await Promise.race([run.exit, new Promise((r) => setTimeout(() => r('running'), 100))]);
        if (exited !== 'running') throw new Error(`the run ended too early:\n${run.output()}`);
      }
      await cli(['report', dir]);
      expect(run.child.exitCode).toBeNull(); // still running while the report was made
      const { page, problems } = await open(join(dir, 'report.html'));
      const facts = await readPage(page);
      await page.close();
      expect(problems).toEqual([]);
      expect(facts.facts.state).toBe('running');
      const completed = Number(/^(\d+) of 40/.exec(facts.facts.generations ?? '')?.[1]);
      expect(completed).toBeGreaterThanOrEqual(2);
      expect(completed).toBeLessThan(40);
      expect(facts.figures.length).toBeGreaterThanOrEqual(7);
    } finally {
      run.child.kill('SIGKILL');
      await run.exit;
    }
  });
});
