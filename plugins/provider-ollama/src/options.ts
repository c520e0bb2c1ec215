import { z } from 'zod';
import { retryPolicyOf, type RetryOptions, type RetryPolicy } from '@llmatic/core';
import type { Options as OllamaModelOptions } from 'ollama';

/** Options of {@link ollama}. */
export interface OllamaProviderOptions extends RetryOptions {
  /** Model to run, as `ollama list` names it (e.g. `qwen2.5-coder:7b`). Required. */
  model: string;
  /** Server address. Default: env `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  host?: string;
  /** Most requests this provider has in flight at once (default 1); a call keeps its slot through its retries. */
  concurrency?: number;
  /** Wall-clock limit of one attempt in milliseconds, streaming included (default 600000). Timeouts are not retried. */
  timeoutMs?: number;
  /** How long Ollama keeps the model loaded after a call: a duration (`"30m"`) or seconds (default `"30m"`). */
  keepAlive?: string | number;
  /** Accumulate a streamed reply instead of waiting for one JSON answer (default false). */
  stream?: boolean;
  /** Model options passed through to Ollama (`num_ctx`, `top_p`, ...). Per-request temperature, stop, seed and maxTokens override them. */
  options?: Partial<OllamaModelOptions>;
  /** Prompt-style requests only: send the prompt without the model's template (default false). */
  raw?: boolean;
  /** For thinking models: enable or disable thinking; the thinking text is not part of the reply. */
  think?: boolean;
  /** Extra HTTP headers, e.g. for a proxy in front of Ollama. */
  headers?: Record<string, string>;
  /** On `close()`, ask Ollama to unload the model (default false: leave it for the next user). */
  unloadOnClose?: boolean;
}

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

const optionsSchema = z.object({
  model: z.string().trim().min(1, 'set `model` to an installed model, e.g. "qwen2.5-coder:7b"'),
  host: z.string().trim().min(1).optional(),
  concurrency: z.number().int().min(1).default(1),
  timeoutMs: z.number().positive().default(600_000),
  keepAlive: z.union([z.string().min(1), z.number()]).default('30m'),
  stream: z.boolean().default(false),
  options: z.record(z.string(), z.unknown()).default({}),
  raw: z.boolean().default(false),
  think: z.boolean().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  unloadOnClose: z.boolean().default(false),
});

export type ResolvedOllamaOptions = z.output<typeof optionsSchema> & {
  host: string;
  options: Partial<OllamaModelOptions>;
  retry: RetryPolicy;
};

/** Validates options and fills defaults; throws a TypeError naming every bad field. */
export function resolveOptions(input: OllamaProviderOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOllamaOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new TypeError(`ollama(): invalid options:\n${z.prettifyError(parsed.error)}`);
  }
  const host = parsed.data.host ?? (env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST);
  const retry = retryPolicyOf(input, 'ollama()');
  return { ...parsed.data, host, options: parsed.data.options as Partial<OllamaModelOptions>, retry };
}
