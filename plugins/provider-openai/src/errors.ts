import { APIError, APIConnectionTimeoutError } from 'openai';
import { LLMError, networkFailure, parseRetryAfter, type AttemptFailure } from '@llmatic/core';

/** What the classifier needs to know about the attempt that failed. */
export interface FailureContext {
  baseURL: string;
  model: string;
  /** The server has answered this provider at least once (any HTTP status). */
  contacted: boolean;
  /** The caller's own signal. */
  callerSignal?: AbortSignal;
  /** The provider was closed during the attempt. */
  closed?: boolean;
  /** The per-attempt timeout signal. */
  timeoutSignal: AbortSignal;
  timeoutMs: number;
}

export function unreachableMessage(baseURL: string, code: string): string {
  return (
    `Cannot reach the OpenAI-compatible server at ${baseURL} (${code}). Start it (vLLM: \`vllm serve <model>\`, ` +
    'llama.cpp: `llama-server -m <file.gguf>`, LM Studio: start its local server) or set OPENAI_BASE_URL ' +
    '(or the `baseURL` option) to where it runs.'
  );
}

export function authMessage(baseURL: string, status: number, said: string): string {
  return `${baseURL} rejected the API key (${status}: ${said}). Set OPENAI_API_KEY (or the \`apiKey\` option) to a key this server accepts.`;
}

export function modelMissingMessage(baseURL: string, model: string, served?: string[]): string {
  const list = served === undefined ? '' : served.length > 0 ? ` It serves: ${served.join(', ')}.` : ' It serves no model.';
  return `The server at ${baseURL} does not serve model "${model}".${list} Set \`model\` to a served id, or start the server with that model.`;
}

/**
 * Retry policy: 408, 409, 429 and 5xx are retried (honouring Retry-After / retry-after-ms), as
 * are broken connections; a refused connection is retried only once the server has answered this
 * provider before (a restart mid-run) and is fatal at once otherwise, so a server that is not
 * running gives one clear error instead of a stack of retries. 401/403 (bad key), 404 (model or
 * URL missing) and 429 `insufficient_quota` are fatal at once; other 4xx and timeouts fail the
 * call without retry.
 */
export function classifyFailure(error: unknown, ctx: FailureContext): AttemptFailure {
  if (error instanceof LLMError) return { error, retryable: false };
  if (ctx.callerSignal?.aborted) {
    return { error: new LLMError('The LLM request was aborted by the caller.', 'aborted', true, { cause: error }), retryable: false };
  }
  if (ctx.closed) {
    return { error: new LLMError('The OpenAI provider was closed while this request was in flight.', 'aborted', true, { cause: error }), retryable: false };
  }
  if (ctx.timeoutSignal.aborted || error instanceof APIConnectionTimeoutError) {
    const message = `${ctx.baseURL} did not finish within ${ctx.timeoutMs} ms (model "${ctx.model}"). Raise \`timeoutMs\`, lower \`maxTokens\`, or use a faster model.`;
    return { error: new LLMError(message, 'timeout', false, { cause: error }), retryable: false };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const { status } = error;
    const said = `${ctx.baseURL} answered ${status}: ${error.message}`;
    const retryAfterMs = parseRetryAfter(error.headers);
    if (status === 401 || status === 403) {
      return { error: new LLMError(authMessage(ctx.baseURL, status, error.message), 'auth', true, { cause: error }), retryable: false };
    }
    if (status === 404) {
      const message = `${modelMissingMessage(ctx.baseURL, ctx.model)} (server said: ${error.message}; if the model is right, check that \`baseURL\` ends with the API prefix, usually /v1)`;
      return { error: new LLMError(message, 'model-missing', true, { cause: error }), retryable: false };
    }
    if (status === 429 && error.code === 'insufficient_quota') {
      return { error: new LLMError(`${said}. The account has no quota left: check its plan and billing.`, 'rate-limited', true, { cause: error }), retryable: false };
    }
    if (status === 429) return { error: new LLMError(said, 'rate-limited', false, { cause: error }), retryable: true, retryAfterMs };
    if (status === 408 || status === 409 || status >= 500) {
      return { error: new LLMError(said, 'server', false, { cause: error }), retryable: true, retryAfterMs };
    }
    return { error: new LLMError(said, 'bad-request', false, { cause: error }), retryable: false };
  }
  const network = networkFailure(error);
  if (network?.phase === 'connect') {
    const unreachable = new LLMError(unreachableMessage(ctx.baseURL, network.code), 'unreachable', true, { cause: error });
    if (!ctx.contacted) return { error: unreachable, retryable: false };
    return {
      error: new LLMError(`${ctx.baseURL} stopped accepting connections (${network.code}).`, 'unreachable', false, { cause: error }),
      retryable: true,
      exhausted: unreachable,
    };
  }
  if (network?.phase === 'broken') {
    return { error: new LLMError(`The connection to ${ctx.baseURL} broke (${network.code}).`, 'server', false, { cause: error }), retryable: true };
  }
  // Errors sent inside an SSE stream, streams cut short, replies that are not JSON.
  const message = error instanceof Error ? error.message : String(error);
  return { error: new LLMError(`${ctx.baseURL} failed: ${message}`, 'server', false, { cause: error }), retryable: true };
}
