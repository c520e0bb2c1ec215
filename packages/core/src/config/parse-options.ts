import type { z } from 'zod';

/** Formats zod issues as `path: message` lines, so a bad field is named with what was expected. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return `  - ${path}: ${issue.message}`;
    })
    .join('\n');
}

/** Thrown for invalid configuration; the message names each bad field and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates plugin or strategy options, naming the function whose options were wrong. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`Invalid options for ${where}:\n${formatIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}
