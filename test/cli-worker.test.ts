/**
 * `llmatic worker` knows no executor plugin: it serves any executor that implements the kernel's
 * `JobServer`. Here a third-party one, the shared-folder executor of the plugin guide
 * (docs/plugins/examples/executor.ts), is served with its own flag (`--dir`), and a config whose
 * executor cannot serve gets an error naming the fix.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJobServer } from '@llmatic/core';
import { queueExecutor } from '@llmatic/executor-queue';
import { folderExecutor } from '../docs/plugins/examples/executor.js';
import { widthsSpace as widthsSpaceForQueue } from '../docs/plugins/examples/space.js';
import { assertCliBuilt, repoRoot, startCli, type CliRun } from './support/cli.js';

let root: string;
const started: CliRun[] = [];

/** A config of the guide's `widths` space, scored by total width, with the given executor. */
function writeConfig(name: string, executor: string): string {
  const file = join(root, name);
  writeFileSync(
    file,
    `import { defineConfig, randomSearch } from '@llmatic/core';
import { widthsSpace } from ${JSON.stringify(join(repoRoot, 'docs/plugins/examples/space.ts'))};
import { folderExecutor } from ${JSON.stringify(join(repoRoot, 'docs/plugins/examples/executor.ts'))};
void folderExecutor;
export default defineConfig({
  space: widthsSpace,
  evaluator: { name: 'total-width', evaluate: async (m) => ({ ok: true, fitness: m.widths.reduce((a, b) => a + b, 0), metrics: {} }) },
  executor: ${executor},
  strategy: randomSearch(),
});
`,
  );
  return file;
}

/** Waits for `text` in a process's output (or its exit, which fails the test with the output). */
async function waitFor(cli: CliRun, text: string): Promise<void> {
  let exited = false;
  void cli.exit.then(() => (exited = true));
  while (!cli.output().includes(text)) {
    if (exited) throw new Error(`llmatic exited before printing "${text}":\n${cli.output()}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

beforeAll(() => {
  assertCliBuilt();
  root = mkdtempSync(join(tmpdir(), 'llmatic-worker-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
});

afterAll(() => {
  for (const cli of started) cli.child.kill('SIGKILL');
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('llmatic worker with a third-party executor', () => {
  it('serves its jobs with the flags it takes, a line per job, and stops on Ctrl-C', async () => {
    const jobs = join(root, 'jobs');
    mkdirSync(jobs);
    const config = writeConfig('folder.config.ts', "folderExecutor({ dir: '/nonexistent/overridden-by---dir', pollMs: 20 })");
    const worker = startCli(['worker', config, '--dir', jobs, '--concurrency', '2'], {});
    started.push(worker);
    await waitFor(worker, `serving folder ${jobs}`);

    const coordinator = folderExecutor({ dir: jobs, pollMs: 20 });
    const [good, bad] = await Promise.all([
      coordinator.run({ candidateId: 'g0-0', code: 'widths: 64 32' }),
      coordinator.run({ candidateId: 'g0-1', code: 'widths: 0' }),
    ]);
    expect(good).toMatchObject({ ok: true, fitness: 96, descriptors: [2, 64] });
    expect(bad).toMatchObject({ ok: false, failure: { reason: 'compile' } });
    await waitFor(worker, 'g0-1 failed (compile');
    expect(worker.output()).toMatch(/g0-0 ok fitness 96\.0000/);

    worker.child.kill('SIGINT');
    expect(await worker.exit, worker.output()).toBe(0);
    expect(worker.output()).toContain('worker stopped');
  }, 120_000);

  it("passes flags it does not know to the executor, which names the ones it takes (exit 2)", async () => {
    const config = writeConfig('folder-flags.config.ts', "folderExecutor({ dir: '/nonexistent' })");
    const cli = startCli(['worker', config, '--redis', 'redis://127.0.0.1:6379'], {});
    started.push(cli);
    expect(await cli.exit).toBe(2);
    expect(cli.output()).toContain("folderExecutor's worker takes --dir PATH only; unknown: --redis.");
  }, 60_000);

  it('says how to fix a config whose executor cannot serve jobs (exit 2)', async () => {
    const config = writeConfig('in-process.config.ts', "'in-process'");
    const cli = startCli(['worker', config], {});
    started.push(cli);
    expect(await cli.exit).toBe(2);
    const output = cli.output();
    expect(output).toContain("runs its evaluations in the run's own process (executor: 'in-process'), so there are no jobs to serve");
    expect(output).toContain('queueExecutor');
    expect(output).toContain('JobServer');
  }, 60_000);

  it('refuses an executor flag without a value', async () => {
    const config = writeConfig('folder-novalue.config.ts', "folderExecutor({ dir: '/nonexistent' })");
    const cli = startCli(['worker', config, '--dir'], {});
    started.push(cli);
    expect(await cli.exit).toBe(1);
    expect(cli.output()).toContain('--dir needs a value (--dir VALUE).');
  }, 60_000);
});

describe('queueExecutor as a JobServer', () => {
  // Settings are checked before any connection, so no Redis is needed here.
  const serve = (settings: Record<string, string>) =>
    queueExecutor({ connection: 'redis://127.0.0.1:1' }).serve({
      pipeline: { space: widthsSpaceForQueue, evaluator: { name: 'none', evaluate: async () => ({ ok: true, fitness: 0, metrics: {} }) }, descriptors: [] },
      concurrency: 1,
      settings,
      onEvent: () => {},
    });

  it('is recognised by llmatic worker', () => {
    expect(isJobServer(queueExecutor({}))).toBe(true);
    expect(isJobServer('in-process')).toBe(false);
  });

  it('names the worker flags it takes when given another, and checks their values', async () => {
    await expect(serve({ dir: '/tmp' })).rejects.toThrow("queueExecutor's worker takes --redis URL (the Redis to serve) and --queue NAME; unknown: --dir.");
    await expect(serve({ redis: 'localhost:6379' })).rejects.toThrow('--redis must be a Redis URL such as redis://10.0.0.5:6379, got "localhost:6379".');
    await expect(serve({ queue: 'a:b' })).rejects.toThrow(`--queue may hold letters, digits, '.', '_' and '-' only, got "a:b".`);
  });
});
