/**
 * Proof that the packages work outside this workspace, as a plugin author's users get them:
 * `npm pack` the kernel, the CLI (and the report package it depends on), the testkit, the tfjs
 * space and the out-of-tree example plugin (`examples/custom-trainer-plugin`, whose `prepack`
 * builds it), install the tarballs into a fresh project under the OS temp folder (no workspace
 * links: nothing above it holds a node_modules of ours), then
 *  - run a short LLM-free search with the plugin through `npx llmatic run`, and
 *  - run the plugin's contract suite there from the installed `@llmatic/testkit`.
 * About 100 s on a busy 2-core machine, most of it `npm install` from the npm cache.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '..');
const exampleDir = join(repoRoot, 'examples/custom-trainer-plugin');
/** Workspace packages the example's project needs (the CLI depends on @llmatic/report). */
const WORKSPACES = ['packages/core', 'packages/cli', 'packages/report', 'packages/testkit', 'plugins/tfjs'];
const MINUTES = 60_000;

/**
 * The environment of the commands: the user's basics only, so that nothing of this vitest run
 * (VITEST_*, npm_config_* from `npm test`, NODE_OPTIONS) leaks into npm, the CLI or the inner vitest.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TERM', 'USER', 'SHELL'];
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', CI: '1' };
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

async function sh(command: string, args: string[], cwd: string, timeout = 4 * MINUTES): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env: cleanEnv(), timeout, maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
  }
}

/** The packages are packed from their builds: `npm test` builds first. */
function assertBuilt(): void {
  const missing = WORKSPACES.filter((dir) => !existsSync(join(repoRoot, dir, 'dist/index.js')) || !existsSync(join(repoRoot, dir, 'dist/index.d.ts')));
  if (missing.length > 0) throw new Error(`Not built: ${missing.join(', ')}. Run \`npm run build\` (npm test does it) before this test.`);
}

/**
 * better-sqlite3 (the run store) compiles its native module in its install script when it cannot
 * download a prebuilt binary, and this machine reaches only the npm registry: that compile takes
 * about two minutes on 2 cores. A user's install downloads the prebuilt binary instead; here the
 * tarballs are installed with --ignore-scripts and the binary the workspace already built, for
 * this same Node and platform, is copied in. With a different version installed it is compiled.
 */
async function provideSqliteBinary(project: string): Promise<void> {
  const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const installed = join(project, 'node_modules/better-sqlite3');
  const workspace = join(repoRoot, 'node_modules/better-sqlite3');
  const binary = join(workspace, 'build/Release/better_sqlite3.node');
  if (existsSync(binary) && version(installed) === version(workspace)) {
    mkdirSync(join(installed, 'build/Release'), { recursive: true });
    copyFileSync(binary, join(installed, 'build/Release/better_sqlite3.node'));
    return;
  }
  await sh('npm', ['rebuild', 'better-sqlite3'], project, 5 * MINUTES);
}

/** A contract test as the plugin's users write one, against the installed packages only. */
const CONTRACT_TEST = `
import * as tf from '@tensorflow/tfjs';
import { describeEvaluatorContract } from '@llmatic/testkit';
import { mnistMinibatch, naswot } from 'llmatic-naswot';

const convNet = (filters) => {
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters, kernelSize: 3, activation: 'relu' }), tf.layers.flatten(), tf.layers.dense({ units: 10 })] });
  const topology = model.toJSON(null, false);
  model.dispose();
  return { topology, inputShape: [28, 28, 1], numClasses: 10 };
};
const linearNet = () => {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] });
  const topology = model.toJSON(null, false);
  model.dispose();
  return { topology, inputShape: [28, 28, 1], numClasses: 10 };
};

describeEvaluatorContract('naswot (installed)', {
  create: () => naswot({ batch: mnistMinibatch({ size: 32 }) }),
  valid: [convNet(4), convNet(8)],
  invalid: [linearNet()],
  misconfigured: () => naswot({ batch: { name: 'one-digit', inputShape: [28, 28, 1], load: async () => new Float32Array(784) } }),
  deterministic: true,
});
`;

describe('packed packages, installed outside the workspace', () => {
  let work: string;
  let project: string;

  beforeAll(async () => {
    assertBuilt();
    work = mkdtempSync(join(tmpdir(), 'llmatic-pack-'));
    const tarballs = join(work, 'tarballs');
    project = join(work, 'project');
    mkdirSync(tarballs);
    mkdirSync(project);
    await sh('npm', ['pack', '--pack-destination', tarballs, ...WORKSPACES.flatMap((dir) => ['-w', dir])], repoRoot);
    // The example is no workspace member: packed from its own folder, its prepack builds it.
    await sh('npm', ['pack', '--pack-destination', tarballs], exampleDir);
    const packed = readdirSync(tarballs).filter((name) => name.endsWith('.tgz'));
    const names = packed.map((name) => name.replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')).sort();
    expect(names).toEqual(['llmatic-cli', 'llmatic-core', 'llmatic-naswot', 'llmatic-report', 'llmatic-testkit', 'llmatic-tfjs']);

    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'naswot-user', version: '1.0.0', private: true, type: 'module' }, null, 2));
    const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...packed.map((name) => join(tarballs, name))];
    await sh('npm', install, project, 5 * MINUTES);
    await provideSqliteBinary(project);
    copyFileSync(join(exampleDir, 'llmatic.config.ts'), join(project, 'llmatic.config.ts'));
    mkdirSync(join(project, 'test'));
    writeFileSync(join(project, 'test/naswot.contract.test.js'), CONTRACT_TEST);
  }, 8 * MINUTES);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs real copies, not links into this repository', () => {
    for (const name of ['@llmatic/core', '@llmatic/cli', '@llmatic/testkit', '@llmatic/tfjs', 'llmatic-naswot']) {
      const real = realpathSync(join(project, 'node_modules', name));
      expect(real.startsWith(realpathSync(project))).toBe(true);
    }
  });

  it('runs a short search with the plugin through `npx llmatic run`', async () => {
    const output = await sh('npx', ['--no-install', 'llmatic', 'run', 'llmatic.config.ts', '--generations', '2', '--batch-size', '4', '--out', 'run'], project);
    expect(output).toMatch(/done: 2\/2 generations, 8 evaluations/);
    const summary = JSON.parse(readFileSync(join(project, 'run/summary.json'), 'utf8')) as {
      evaluations: number;
      best: { fitness: number; metrics: Record<string, number> } | null;
    };
    expect(summary.evaluations).toBe(8);
    // Scored by the plugin: a finite NASWOT score of a network with ReLU units.
    expect(Number.isFinite(summary.best?.fitness)).toBe(true);
    expect(summary.best?.metrics.naswot).toBe(summary.best?.fitness);
    expect(summary.best?.metrics.reluUnits).toBeGreaterThan(0);
  }, 4 * MINUTES);

  it("passes the plugin's contract suite from the installed @llmatic/testkit", async () => {
    const output = await sh('npx', ['--no-install', 'vitest', 'run'], project);
    expect(output).toMatch(/Tests\s+6 passed \(6\)/);
  }, 4 * MINUTES);
});
