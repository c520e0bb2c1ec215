/** The `llmatic` command as a user meets it: flags, config errors, LLM servers down or misconfigured. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, type RunSummary } from '@llmatic/core';
import { startOllamaServer } from './doubles/ollama-server.js';
import type { LLMDouble } from './doubles/llm-double.js';
import { nb201Reply } from './support/nb201-llm-double.js';
import { assertCliBuilt, sharedTable, startCli } from './support/cli.js';

const example = 'examples/nasbench201/llmatic.config.ts';

function countCandidates(dir: string): number {
  if (!existsSync(join(dir, 'run.db'))) return 0;
  try {
    const store = RunStore.open(dir, { readonly: true });
    try {
      return store.candidates().length;
    } finally {
      store.close();
    }
  } catch {
    return 0;
  }
}
const outDir = () => join(mkdtempSync(join(tmpdir(), 'llmatic-cli-')), 'run');

describe('llmatic CLI', () => {
  let server: LLMDouble;
  beforeAll(async () => {
    assertCliBuilt();
    server = await startOllamaServer({ models: ['qwen2.5-coder:7b'], reply: nb201Reply });
  });
  afterAll(async () => server?.close());

  it('rejects a bad flag, naming it', async () => {
    const cli = startCli(['run', example, '--generations', 'ten'], {});
    expect(await cli.exit).not.toBe(0);
    expect(cli.output()).toContain('--generations must be an integer >= 1, got "ten"');
  });

  it('says which config file is missing (exit 2)', async () => {
    const cli = startCli(['run', 'nowhere/llmatic.config.ts'], {});
    expect(await cli.exit).toBe(2);
    expect(cli.output()).toMatch(/Config file not found: .*nowhere\/llmatic\.config\.ts/);
  });

  it('stops at once with the fix when Ollama is down, before creating a run', async () => {
    const out = outDir();
    const started = Date.now();
    const cli = startCli(['run', example, '--out', out], { LLMATIC_LLM: 'ollama', OLLAMA_HOST: 'http://127.0.0.1:9', LLMATIC_NB201_TABLE: sharedTable });
    expect(await cli.exit).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(cli.output()).toContain('ollama serve');
    expect(cli.output().match(/LLM error/g)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('names the missing model and the pull command', async () => {
    const cli = startCli(['run', example, '--out', outDir()], {
      LLMATIC_LLM: 'ollama',
      OLLAMA_HOST: server.url,
      LLMATIC_MODEL: 'llama3:70b',
      LLMATIC_NB201_TABLE: sharedTable,
    });
    expect(await cli.exit).toBe(1);
    expect(cli.output()).toContain('ollama pull llama3:70b');
  });

  it.skipIf(!existsSync(sharedTable))('Ctrl-C stops after saving finished work; resume completes the run', async () => {
    const out = outDir();
    const slow = await startOllamaServer({
      models: ['qwen2.5-coder:7b'],
      reply: async (request) => {
        await new Promise((done) => setTimeout(done, 60));
        return nb201Reply(request);
      },
    });
    const env = { LLMATIC_LLM: 'ollama', OLLAMA_HOST: slow.url, LLMATIC_NB201_TABLE: sharedTable };
    try {
      const cli = startCli(['run', example, '--out', out, '-g', '3', '-b', '20'], env);
      while (countCandidates(out) < 30) await new Promise((done) => setTimeout(done, 50));
      cli.child.kill('SIGINT');
      expect(await cli.exit, cli.output()).toBe(130);
      expect(cli.output()).toContain('Stopping');
      expect(cli.output()).toContain(`llmatic resume ${out}`);
      const stopped = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
      expect(stopped).toMatchObject({ status: 'stopped', stopReason: 'interrupted by the user' });
      expect(stopped.evaluations).toBeGreaterThanOrEqual(29);
      const resumed = startCli(['resume', out], env);
      expect(await resumed.exit, resumed.output()).toBe(0);
      const done = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
      expect(done).toMatchObject({ status: 'completed', evaluations: 60 });
    } finally {
      await slow.close();
    }
  });

  it.skipIf(!existsSync(sharedTable))('runs a short NAS-Bench-201 search with Ollama and worker threads', async () => {
    const out = outDir();
    const cli = startCli(['run', 'test/fixtures/nb201-workers.config.ts', '--out', out, '-g', '3', '-b', '20', '--seed', '5'], {
      LLMATIC_LLM: 'ollama',
      OLLAMA_HOST: server.url,
      LLMATIC_NB201_TABLE: sharedTable,
    });
    expect(await cli.exit, cli.output()).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ status: 'completed', evaluations: 60, seed: 5, generations: { completed: 3, planned: 3 } });
    expect(summary.best?.metrics.testRank).toBeGreaterThanOrEqual(1);
    expect(summary.failures.crash).toBeUndefined();
    // The recommended preset starts from 30 random programs; every later offspring asks the LLM.
    expect(summary.tokens.calls).toBe(30);
    expect(summary.tokens.total).toBeGreaterThan(0);
    expect(cli.output()).toContain('gen 3/3');
  });
});
