/**
 * A plugin broke the kernel's contract. The message names what the plugin did and what it should
 * do instead, so the failing test tells a plugin author the fix.
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/** Throws a {@link ContractViolation} with `message` unless `condition` holds. */
export function expectContract(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

/** A short, printable form of a thrown value, for violation messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
