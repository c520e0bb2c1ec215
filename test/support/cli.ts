import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliBin = resolve(repoRoot, 'packages/cli/bin/llmatic.js');
export const sharedTable = resolve(repoRoot, '../shared/data/nas-bench-201/nb201.csv.gz');

/** The CLI runs from its build: `npm test` builds first. */
export function assertCliBuilt(): void {
  if (!existsSync(resolve(repoRoot, 'packages/cli/dist/main.js'))) {
    throw new Error('The CLI is not built: run `npm run build` (npm test does it) before these tests.');
  }
}

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts `llmatic ...args` as a user would, with extra environment variables. */
export function startCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exit };
}

/** Environment that points a NAS-Bench-201 config at an OpenAI-protocol LLM double at `url`. */
export function openAIDoubleEnv(url: string): Record<string, string> {
  return {
    LLMATIC_LLM: 'openai',
    LLMATIC_MODEL: 'coder-double',
    OPENAI_BASE_URL: url,
    OPENAI_API_KEY: 'sk-test',
    LLMATIC_NB201_TABLE: sharedTable,
  };
}

/** SIGKILLs `run`, without warning, once `stored()` reaches `count`; throws if the run ends first. */
export async function sigkillAt(run: CliRun, stored: () => number, count: number): Promise<void> {
  while (stored() < count) {
    const exited = await Promise.race([run.exit, new Promise((r) => setTimeout(() => r('running'), 100))]);
    if (exited !== 'running') throw new Error(`the run ended before it could be killed:\n${run.output()}`);
  }
  run.child.kill('SIGKILL');
  await run.exit;
}
