import { DEFAULT_TIMEOUT_MS, registerContract } from '../check.js';
import { parseOptions } from '../options-schema.js';
import { providerChecks } from './checks.js';
import { providerOptionsSchema, type ProviderContractOptions } from './options.js';

/**
 * Registers the LLM provider contract as a vitest `describe` block named after `name`: HTTP and
 * network failures become LLMError kinds, abort, seeds and usage, against the kit's own server.
 */
export function describeProviderContract(name: string, options: ProviderContractOptions): void {
  parseOptions(providerOptionsSchema, options, 'describeProviderContract');
  registerContract(`provider contract: ${name}`, providerChecks, options, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}
