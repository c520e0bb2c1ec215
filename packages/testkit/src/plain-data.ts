import { isDeepStrictEqual } from 'node:util';
import { FAILURE_REASONS, type Failure } from '@llmatic/core';
import { describeError, expectContract } from './contract-violation.js';

/**
 * Asserts that `value` survives `structuredClone` unchanged: what crosses a process or thread
 * boundary (models, evaluations, job results) must be plain data.
 */
export function expectCloneable(value: unknown, what: string): void {
  let copy: unknown;
  try {
    copy = structuredClone(value);
  } catch (error) {
    expectContract(false, `${what} is not structured-cloneable (${describeError(error)}); keep it plain data: no functions, class instances with methods, or handles`);
  }
  expectContract(
    isDeepStrictEqual(copy, value),
    `${what} changes under structuredClone (class instances lose their prototype, getters their values); keep it plain data`,
  );
}

/** Asserts that `failure` is a typed failure: a known reason and a message. */
export function expectTypedFailure(failure: unknown, what: string): asserts failure is Failure {
  const record = failure as Partial<Failure> | null | undefined;
  expectContract(
    typeof record === 'object' && record !== null && FAILURE_REASONS.includes(record.reason as Failure['reason']),
    `${what} has no known failure reason (got ${JSON.stringify(record?.reason)}); use fail(reason, message) with one of ${FAILURE_REASONS.join(', ')}`,
  );
  expectContract(
    typeof record.message === 'string' && record.message.trim().length > 0,
    `${what} has an empty failure message; say what went wrong so the run store can show it`,
  );
}

/** Asserts that every entry of `metrics` is a finite number. */
export function expectFiniteMetrics(metrics: unknown, what: string): void {
  expectContract(typeof metrics === 'object' && metrics !== null, `${what}: metrics must be an object of numbers (got ${typeof metrics})`);
  for (const [name, value] of Object.entries(metrics)) {
    expectContract(typeof value === 'number' && Number.isFinite(value), `${what}: metric ${name} is ${String(value)}; metrics must be finite numbers`);
  }
}

/** Words an instruction starts with: a message that names the fix contains one of them. */
const FIX_WORDS =
  /\b(set|install|pass|provide|download|run|use|add|put|start|give|create|point|place|copy|pull|build|enable|export|remove|choose|raise|lower|check)\b/i;

/** Asserts that `message` says what to do, not only what went wrong. */
export function expectNamesTheFix(message: string, what: string): void {
  expectContract(
    FIX_WORDS.test(message),
    `${what} says what went wrong but not how to fix it ("${message}"); add the fix, e.g. "set LLMATIC_DATA_DIR" or "pass the \`table\` option"`,
  );
}
