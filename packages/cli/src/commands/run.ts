import { resolve } from 'node:path';
import { Runner } from '@llmatic/core';
import { executeRun, reportSummary } from './execute-run.js';
import { loadResolvedConfig, type Overrides } from './load.js';

function defaultRunDir(): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  return resolve('runs', stamp);
}

/** `llmatic run [config]`. */
export async function runCommand(configPath: string | undefined, overrides: Overrides): Promise<number> {
  const { file, config } = await loadResolvedConfig(configPath, overrides);
  await config.llm?.check?.();
  const dir = resolve(config.out ?? defaultRunDir());
  const { summary, interrupted } = await executeRun(
    (options) => Runner.start(config, { dir, configPath: file, ...options }),
    config.llm,
  );
  reportSummary(summary);
  return summary.status === 'completed' ? 0 : interrupted ? 130 : 1;
}
