import { z } from 'zod';
import { retryPolicyOf, type RetryOptions, type RetryPolicy } from '@llmatic/core';

/** Options of {@link openai}. */
export interface OpenAIProviderOptions extends RetryOptions {
  /** Model id as the server names it (`gpt-4o-mini`, or the served model of vLLM / llama.cpp / LM Studio). Required. */
  model: string;
  /** API base URL including the version prefix. Default: env `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseURL?: string;
  /**
   * API key. Default: env `OPENAI_API_KEY`. Local servers usually need none: when the base URL
   * is not OpenAI's and no key is set, a placeholder is sent.
   */
  apiKey?: string;
  /** Most requests this provider has in flight at once (default 1); a call keeps its slot through its retries. */
  concurrency?: number;
  /** Wall-clock limit of one attempt in milliseconds, streaming included (default 600000). Timeouts are not retried. */
  timeoutMs?: number;
  /** Accumulate a streamed (SSE) reply; usage comes from the final chunk (default false). */
  stream?: boolean;
  /**
   * Prompt-style (`/completions`) requests without `maxTokens` send this limit, because OpenAI and
   * vLLM otherwise stop after 16 tokens (default 2048). Chat requests without `maxTokens` send none.
   */
  completionMaxTokens?: number;
  /** Body field for the token limit: `max_tokens` (widest support, default) or `max_completion_tokens` (OpenAI reasoning models). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Body field that carries a request's GBNF grammar (`grammar` for llama.cpp server, default). */
  grammarField?: string;
  /** Extra body fields sent with every generation request (`top_p`, `repetition_penalty`, ...). */
  extraBody?: Record<string, unknown>;
  /** Extra HTTP headers. */
  headers?: Record<string, string>;
}

export const OPENAI_API_URL = 'https://api.openai.com/v1';

/** Sent to servers that ignore keys when none is configured (the client refuses an empty key). */
export const PLACEHOLDER_API_KEY = 'no-key-needed';

const optionsSchema = z.object({
  model: z.string().trim().min(1, 'set `model` to the model id the server serves, e.g. "gpt-4o-mini"'),
  baseURL: z.url({ message: 'set `baseURL` to an http(s) URL such as http://127.0.0.1:8000/v1' }).optional(),
  apiKey: z.string().min(1).optional(),
  concurrency: z.number().int().min(1).default(1),
  timeoutMs: z.number().positive().default(600_000),
  stream: z.boolean().default(false),
  completionMaxTokens: z.number().int().positive().default(2048),
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
  grammarField: z.string().min(1).default('grammar'),
  extraBody: z.record(z.string(), z.unknown()).default({}),
  headers: z.record(z.string(), z.string()).default({}),
});

export type ResolvedOpenAIOptions = z.output<typeof optionsSchema> & { baseURL: string; apiKey: string; retry: RetryPolicy };

/** Validates options and fills defaults from the environment; throws a TypeError naming every bad field. */
export function resolveOptions(input: OpenAIProviderOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOpenAIOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new TypeError(`openai(): invalid options:\n${z.prettifyError(parsed.error)}`);
  }
  const baseURL = (parsed.data.baseURL ?? (env.OPENAI_BASE_URL?.trim() || OPENAI_API_URL)).replace(/\/+$/, '');
  let apiKey = parsed.data.apiKey ?? (env.OPENAI_API_KEY?.trim() || undefined);
  if (apiKey === undefined) {
    if (new URL(baseURL).hostname === 'api.openai.com') {
      throw new TypeError('openai(): no API key for api.openai.com: set OPENAI_API_KEY or pass `apiKey`.');
    }
    apiKey = PLACEHOLDER_API_KEY;
  }
  return { ...parsed.data, baseURL, apiKey, retry: retryPolicyOf(input, 'openai()') };
}
