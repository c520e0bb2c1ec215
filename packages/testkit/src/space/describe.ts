import { DEFAULT_TIMEOUT_MS, registerContract } from '../check.js';
import { parseOptions } from '../options-schema.js';
import { spaceChecks } from './checks.js';
import { spaceOptionsSchema, type SpaceContractOptions } from './options.js';

/**
 * Registers the search space contract as a vitest `describe` block named after `name`: the seed
 * extracts and compiles, descriptors are finite and in bounds, models are structured-cloneable,
 * operators give compiling, reproducible programs.
 */
export function describeSpaceContract<M>(name: string, options: SpaceContractOptions<M>): void {
  parseOptions(spaceOptionsSchema, options, 'describeSpaceContract');
  registerContract(`space contract: ${name}`, spaceChecks, options as SpaceContractOptions<unknown>, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}
