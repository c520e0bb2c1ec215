import { expect } from 'vitest';
import { ContractViolation } from '../src/contract-violation.js';

/** Asserts that a check rejected with a ContractViolation whose message matches `pattern`. */
export async function expectViolation(run: Promise<void>, pattern: RegExp): Promise<void> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the check passed, but the plugin is broken').toBeInstanceOf(ContractViolation);
  expect((error as Error).message).toMatch(pattern);
}

/** The check named `name` of `checks` (so a renamed check fails loudly). */
export function checkNamed<C extends { name: string }>(checks: readonly C[], name: RegExp): C {
  const found = checks.find((c) => name.test(c.name));
  if (!found) throw new Error(`no check matches ${name}`);
  return found;
}
