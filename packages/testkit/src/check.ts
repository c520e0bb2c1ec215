import { describe, it } from 'vitest';

/** One contract check: `run` resolves when the plugin keeps this part of the contract. */
export interface ContractCheck<O> {
  readonly name: string;
  run(options: O): Promise<void>;
}

/** Registers `checks` as one vitest `describe` block with an `it` per check. */
export function registerContract<O>(title: string, checks: readonly ContractCheck<O>[], options: O, timeoutMs: number): void {
  describe(title, () => {
    for (const check of checks) {
      it(check.name, () => check.run(options), timeoutMs);
    }
  });
}

export const DEFAULT_TIMEOUT_MS = 60_000;
