import { InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { ConfigError, LLMError } from '@llmatic/core';

/** A commander parser for integer flags with a lower bound; the error names the flag. */
export function integer(name: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${value}".`);
    }
    return parsed;
  };
}

/**
 * By name too: a plugin loaded with the config (jiti) may throw the `ConfigError` of another copy
 * of `@llmatic/core`.
 */
function isConfigError(error: unknown): boolean {
  return error instanceof ConfigError || (error instanceof Error && error.name === 'ConfigError');
}

/** Runs a command action; errors become one clear line and an exit code (2 for bad config). */
export async function guard(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const label = isConfigError(error) ? 'config error' : error instanceof LLMError ? 'LLM error' : 'error';
    process.stderr.write(`${pc.red(label)}: ${message}\n`);
    if (process.env.LLMATIC_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = isConfigError(error) ? 2 : 1;
  }
}
