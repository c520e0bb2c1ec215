import { findConfigFile, loadConfigFile, resolveConfig, type ResolvedConfig } from '@llmatic/core';

/** CLI flags that override the config file. */
export interface Overrides {
  seed?: number;
  generations?: number;
  batchSize?: number;
  out?: string;
}

/** Loads and validates a config file with CLI overrides applied. */
export async function loadResolvedConfig(path: string | undefined, overrides: Overrides): Promise<{ file: string; config: ResolvedConfig }> {
  const file = findConfigFile(path);
  const raw = (await loadConfigFile(file)) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...raw };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  return { file, config: resolveConfig(merged, file) };
}
