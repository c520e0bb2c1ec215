import { ConfigError } from '../../config/parse-options.js';
import type { SearchSpace, SpaceOperators } from '../../space/search-space.js';

/**
 * The space's code-level operators, which LLM-free baselines need. Throws a {@link ConfigError}
 * that names the space and the ways out when it has none.
 */
export function requireOperators(space: SearchSpace<unknown>, strategy: string): SpaceOperators {
  const operators = space.operators;
  if (!operators || typeof operators.random !== 'function' || typeof operators.mutate !== 'function') {
    throw new ConfigError(
      `${strategy} needs a search space with \`operators\` (random(rng) and mutate(code, rng)), but the ` +
        `"${space.name}" space has none. Use a space that provides them (e.g. nasBench201Space), add ` +
        '`operators` to your space, or use the llmatic() strategy, which needs no operators.',
    );
  }
  return operators;
}

/** Calls an operator; an exception becomes an error that names the strategy and the operator. */
export function applyOperator(strategy: string, what: string, operator: () => string): string {
  try {
    return operator();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${strategy}: space.operators.${what} failed: ${message}`);
  }
}
