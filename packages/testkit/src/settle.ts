import { ContractViolation } from './contract-violation.js';

export type Settled<T> = { status: 'resolved'; value: T } | { status: 'rejected'; reason: unknown };

/**
 * How `promise` settled, or a {@link ContractViolation} when it has not within `ms`. This bounds
 * hangs (an abort that is ignored) rather than measuring speed: the limit is generous.
 */
export async function settleWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((done) => {
    timer = setTimeout(() => done('hung'), ms);
  });
  const settled = promise.then(
    (value): Settled<T> => ({ status: 'resolved', value }),
    (reason: unknown): Settled<T> => ({ status: 'rejected', reason }),
  );
  try {
    const outcome = await Promise.race([settled, hung]);
    if (outcome === 'hung') throw new ContractViolation(`${what} did not settle within ${ms} ms`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`; used to let a request or an evaluation get going before it is aborted. */
export function pause(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
