import type { z } from 'zod';

/** One readable message for invalid options: each bad field and what is expected. */
export function formatOptionsError(where: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(options)';
    return `  - ${path}: ${issue.message}`;
  });
  return `Invalid ${where}() options:\n${issues.join('\n')}`;
}
