/**
 * `llmatic new plugin` and `llmatic init` as a plugin author meets them: each kind is generated
 * into a folder outside the repository (with this workspace's node_modules linked in, so the
 * LLMatic packages are the built workspace ones), then typechecked, tested, built and, where
 * the config needs no LLM or data, run. Generated code must pass with no edits. (Installing
 * packed tarballs outside the workspace is test/pack-install.test.ts's job.)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cliBin, repoRoot, sharedTable } from './support/cli.js';

const run = promisify(execFile);
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
const hasTable = existsSync(sharedTable);
if (!hasTable) console.warn(`SKIPPED running the init config: no NAS-Bench-201 table at ${sharedTable}`);

// The nested tools must not believe they run inside this vitest.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
const baseEnv = { ...env, NO_COLOR: '1', LLMATIC_NB201_TABLE: '' };

let root: string;

/** Runs a command in `cwd`; on failure the error carries its whole output. */
async function sh(cwd: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  try {
    return await run(command, args, { cwd, env: { ...baseEnv, ...extraEnv }, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

const llmatic = (cwd: string, args: string[], extraEnv: Record<string, string> = {}) => sh(cwd, process.execPath, [cliBin, ...args], extraEnv);

/** `llmatic ...` that must fail: its output and exit code. */
async function llmaticFails(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    await run(process.execPath, [cliBin, ...args], { cwd, env: baseEnv });
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? -1, output: `${stdout}${stderr}` };
  }
  throw new Error(`llmatic ${args.join(' ')} succeeded, expected a failure`);
}

beforeAll(() => {
  assertCliBuilt();
  for (const name of ['core', 'testkit']) {
    if (!existsSync(join(repoRoot, 'packages', name, 'dist/index.d.ts'))) throw new Error(`@llmatic/${name} is not built: run \`npm run build\` first.`);
  }
  root = mkdtempSync(join(tmpdir(), 'llmatic-scaffold-'));
  // Outside the repository, with the workspace's packages reachable as a user's installed ones.
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('llmatic new plugin', () => {
  const kinds = [
    { kind: 'evaluator', runs: true },
    { kind: 'space', runs: true },
    { kind: 'provider', runs: false },
    { kind: 'executor', runs: false },
  ] as const;

  for (const { kind, runs } of kinds) {
    it(`generates the ${kind} template: a package that typechecks, passes its contract test, builds and lints for publishing${runs ? ', and whose config runs' : ''}`, async () => {
      const name = `@acme/llmatic-${kind}-plugin`;
      await llmatic(root, ['new', 'plugin', name, '--kind', kind]);
      const dir = join(root, `llmatic-${kind}-plugin`);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest.name).toBe(name);
      for (const file of ['README.md', 'llmatic.config.ts', 'src/index.ts', 'test/contract.test.ts', 'tsup.config.ts', '.gitignore', '.changeset/initial-release.md']) {
        expect(existsSync(join(dir, file)), file).toBe(true);
      }
      expect(readFileSync(join(dir, '.changeset/initial-release.md'), 'utf8')).toContain(`'${name}': minor`);
      expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).not.toMatch(/\{\{(name|factory|Factory|pluginName|kind|llmaticVersion)\}\}/);

      await sh(dir, bin('tsc'), ['--noEmit', '-p', '.']);
      const tests = await sh(dir, bin('vitest'), ['run', '--reporter', 'verbose']);
      expect(tests.stdout).toMatch(/contract/i);
      await sh(dir, bin('tsup'), []);
      expect(existsSync(join(dir, 'dist/index.js')) && existsSync(join(dir, 'dist/index.d.ts'))).toBe(true);
      // Publishable as generated: exports, types and files agree with what `npm pack` ships.
      await sh(dir, bin('publint'), ['--strict']);

      if (runs) {
        const { stderr } = await llmatic(dir, ['run', 'llmatic.config.ts', '--out', 'runs/try', '--generations', '1', '--batch-size', '6']);
        expect(stderr).toContain('done: 1/1 generations');
        const summary = JSON.parse(readFileSync(join(dir, 'runs/try/summary.json'), 'utf8')) as { evaluations: number };
        expect(summary.evaluations).toBe(6);
      }
    }, 300_000);
  }

  it('refuses a name npm would refuse, and a folder that has files', async () => {
    const badName = await llmaticFails(root, ['new', 'plugin', 'My Plugin', '--kind', 'space']);
    expect(badName.output).toContain('"My Plugin" is not an npm package name');
    const badKind = await llmaticFails(root, ['new', 'plugin', 'x', '--kind', 'trainer']);
    expect(badKind.output).toContain('--kind must be one of evaluator, provider, space, executor, got "trainer"');
    mkdirSync(join(root, 'taken'));
    writeFileSync(join(root, 'taken/file.txt'), 'mine');
    const taken = await llmaticFails(root, ['new', 'plugin', 'taken', '--kind', 'space']);
    expect(taken.output).toContain('already exists and is not empty');
    expect(readFileSync(join(root, 'taken/file.txt'), 'utf8')).toBe('mine');
  });
});

describe('llmatic init', () => {
  it.skipIf(!hasTable)('writes a config that runs as written, naming the table it was given', async () => {
    const dir = join(root, 'init-project');
    mkdirSync(dir);
    await llmatic(root, ['init', dir, '--table', sharedTable]);
    const config = readFileSync(join(dir, 'llmatic.config.ts'), 'utf8');
    expect(config).toContain(`table: ${JSON.stringify(resolve(sharedTable))}`);
    const { stderr } = await llmatic(dir, ['run', 'llmatic.config.ts', '--out', 'runs/first', '--generations', '1', '--batch-size', '10']);
    expect(stderr).toContain('done: 1/1 generations');
    const again = await llmaticFails(root, ['init', dir]);
    expect(again.output).toContain('llmatic.config.ts already exists: pass --force to replace it.');
  }, 300_000);

  it('says how to get the table when it finds none', async () => {
    const dir = join(root, 'init-no-table');
    mkdirSync(dir);
    const { stderr } = await llmatic(root, ['init', dir], { XDG_CACHE_HOME: join(root, 'empty-cache') });
    expect(stderr).toContain('NAS-Bench-201 table not found');
    const config = readFileSync(join(dir, 'llmatic.config.ts'), 'utf8');
    expect(config).toContain("nasBench201({ dataset: 'cifar10' })");
    expect(config).toContain('LLMATIC_NB201_TABLE');
  });
});
