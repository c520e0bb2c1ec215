import { describe, it } from 'vitest';
import { describeProviderContract } from '../src/index.js';
import { providerChecks } from '../src/provider/checks.js';
import type { ProviderContractOptions } from '../src/provider/options.js';
import { toyProvider, toyRespond, type ToyProviderFaults } from './fixtures/toy-provider.js';
import { checkNamed, expectViolation } from './violation.js';

// The correct toy provider passes the whole suite, registered as a plugin would.
describeProviderContract('toy', { create: ({ baseURL }) => toyProvider(baseURL), respond: toyRespond });

const withFaults = (faults: ToyProviderFaults): ProviderContractOptions => ({
  create: ({ baseURL }) => toyProvider(baseURL, faults),
  respond: toyRespond,
  abortWithinMs: 300,
});
const run = (name: RegExp, faults: ToyProviderFaults) => checkNamed(providerChecks, name).run(withFaults(faults));

describe('the provider contract catches broken providers', () => {
  it('plain Errors instead of LLMErrors', async () => {
    await expectViolation(run(/HTTP 500/, { plainErrors: true }), /map every failure to an LLMError/);
    await expectViolation(run(/refused/, { plainErrors: true }), /map every failure to an LLMError/);
  });

  it('a 401 reported as a server error', async () => {
    await expectViolation(run(/HTTP 401/, { authAsServer: true }), /kind 'server'.*must be 'auth'/);
  });

  it('a seed that never reaches the server', async () => {
    await expectViolation(run(/seed/, { dropSeed: true }), /carries no `seed: 271828`/);
  });

  it('usage that is not reported', async () => {
    await expectViolation(run(/usage/, { zeroUsage: true }), /reported usage .* pass the server's counts through/);
  });

  it('a provider without a model', async () => {
    const anonymous: ProviderContractOptions = { ...withFaults({}), create: ({ baseURL }) => ({ ...toyProvider(baseURL), model: '' }) };
    await expectViolation(checkNamed(providerChecks, /usage/).run(anonymous), /has no `model`/);
  });

  it('a request that ignores abort', async () => {
    await expectViolation(run(/abort/, { ignoreAbort: true }), /did not settle within 300 ms/);
  });
});
