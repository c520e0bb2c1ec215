import {
  LLMError,
  networkFailure,
  parseRetryAfter,
  retryPolicyOf,
  withRetries,
  type AttemptFailure,
  type GenerateRequest,
  type GenerateResult,
  type LLMProvider,
  type RetryOptions,
} from '@llmatic/core';
import { z } from 'zod';

/*
 * The protocol (change it to your API's):
 *   POST {baseURL}/generate  { model, prompt | messages, temperature, max_tokens, stop, seed }
 *   200 { model, text, finish_reason?, usage: { prompt_tokens, completion_tokens } }
 */

const optionsSchema = z.object({
  /** Server address, e.g. `http://127.0.0.1:8080`. */
  baseURL: z.url(),
  model: z.string().min(1),
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: z.string().optional(),
});

export type {{Factory}}Options = z.input<typeof optionsSchema> & RetryOptions;

const replySchema = z.object({
  model: z.string(),
  text: z.string(),
  finish_reason: z.string().optional(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).partial().optional(),
});

/** A non-2xx answer, kept whole until it is classified. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    body: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

/** Which failures end the run (fatal), which are retried, and what the message tells the user. */
function classify(error: unknown, baseURL: string, model: string, signal: AbortSignal | undefined): AttemptFailure {
  if (signal?.aborted) return { error: new LLMError('The LLM request was aborted.', 'aborted', true, { cause: error }), retryable: false };
  if (error instanceof HttpStatusError) {
    const { status, message, retryAfterMs } = error;
    if (status === 401 || status === 403) return { error: new LLMError(`${baseURL} refused the API key (${message}). Set apiKey.`, 'auth', true), retryable: false };
    if (status === 404) return { error: new LLMError(`${baseURL} has no model "${model}" (${message}). Pass a model it serves.`, 'model-missing', true), retryable: false };
    if (status === 429) return { error: new LLMError(`${baseURL} is rate-limiting (${message}).`, 'rate-limited', false), retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    if (status >= 500) return { error: new LLMError(`${baseURL} failed (${message}).`, 'server', false), retryable: true };
    return { error: new LLMError(`${baseURL} rejected the request (${message}).`, 'bad-request', false), retryable: false };
  }
  const network = networkFailure(error);
  if (network?.phase === 'connect') {
    return { error: new LLMError(`Cannot reach ${baseURL} (${network.code}). Start the server or pass the right baseURL.`, 'unreachable', true, { cause: error }), retryable: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { error: new LLMError(`${baseURL} gave no usable answer (${message}).`, 'server', false, { cause: error }), retryable: true };
}

/** An {@link LLMProvider} for the protocol above. */
export function {{factory}}(options: {{Factory}}Options): LLMProvider {
  const parsed = optionsSchema.safeParse({ baseURL: options.baseURL, model: options.model, apiKey: options.apiKey });
  if (!parsed.success) throw new TypeError(`{{factory}}(): invalid options:\n${z.prettifyError(parsed.error)}`);
  const { baseURL, model, apiKey } = parsed.data;
  const policy = retryPolicyOf(options, '{{factory}}()');
  const endpoint = `${baseURL.replace(/\/+$/, '')}/generate`;

  async function attempt(request: GenerateRequest): Promise<GenerateResult> {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({
        model,
        prompt: request.prompt,
        messages: request.messages,
        temperature: request.temperature,
        max_tokens: request.maxTokens,
        stop: request.stop,
        seed: request.seed,
      }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (!response.ok) throw new HttpStatusError(response.status, await response.text().catch(() => ''), parseRetryAfter(response.headers));
    const reply = replySchema.parse(await response.json());
    return {
      text: reply.text,
      model: reply.model,
      usage: { promptTokens: reply.usage?.prompt_tokens ?? 0, completionTokens: reply.usage?.completion_tokens ?? 0 },
      ...(reply.finish_reason ? { finishReason: reply.finish_reason } : {}),
    };
  }

  return {
    name: '{{pluginName}}',
    model,
    generate: (request) => withRetries(() => attempt(request), (error) => classify(error, baseURL, model, request.signal), policy, request.signal),
  };
}
