import { DEFAULT_TIMEOUT_MS, registerContract } from '../check.js';
import { parseOptions } from '../options-schema.js';
import { evaluatorChecks } from './checks.js';
import { evaluatorOptionsSchema, type EvaluatorContractOptions } from './options.js';

/**
 * Registers the evaluator contract as a vitest `describe` block named after `name`: typed
 * failures that never throw, abort, concurrency, `check()` that names the fix, `close()`.
 */
export function describeEvaluatorContract<M>(name: string, options: EvaluatorContractOptions<M>): void {
  parseOptions(evaluatorOptionsSchema, options, 'describeEvaluatorContract');
  const erased = options as EvaluatorContractOptions<unknown>;
  registerContract(`evaluator contract: ${name}`, evaluatorChecks, erased, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}
