import { DEFAULT_TIMEOUT_MS, registerContract } from '../check.js';
import { parseOptions } from '../options-schema.js';
import { executorChecks } from './checks.js';
import { executorOptionsSchema, type ExecutorContractOptions } from './options.js';

/**
 * Registers the executor contract as a vitest `describe` block named after `name`: jobs give
 * well-formed JobResults, concurrent jobs get their own results, abort settles, close resolves.
 */
export function describeExecutorContract(name: string, options: ExecutorContractOptions): void {
  parseOptions(executorOptionsSchema, options, 'describeExecutorContract');
  registerContract(`executor contract: ${name}`, executorChecks, options, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}
