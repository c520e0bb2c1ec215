import { z } from 'zod';

/** A zod schema for a function-valued option (zod 4's `z.function()` is not a schema). */
export const functionOption = <F extends (...args: never[]) => unknown>(what: string) =>
  z.custom<F>((value) => typeof value === 'function', { message: `expected ${what}` });

/** Validates contract options at the edge: a TypeError that names every bad field. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown, caller: string): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new TypeError(`${caller}: invalid options: ${problems.join('; ')}. See the README of @llmatic/testkit for the option types.`);
}

export const timeoutOption = z.number().int().positive().optional();
