import { LLMError, networkFailure, parseRetryAfter, type AttemptFailure } from '@llmatic/core';

/** What the classifier needs to know about the attempt that failed. */
export interface FailureContext {
  host: string;
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
  /** Headers of the last HTTP response of this attempt (for Retry-After). */
  headers?: Headers;
}

/** The ollama client's `ResponseError` (not exported by the package): an HTTP error status. */
function httpStatus(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof Error && error.name === 'ResponseError') {
    const status = (error as { status_code?: unknown }).status_code;
    if (typeof status === 'number') return { status, message: error.message };
  }
  return undefined;
}

export function unreachableMessage(host: string, code: string): string {
  return `Cannot reach Ollama at ${host} (${code}). Start it with \`ollama serve\` or set OLLAMA_HOST (or the \`host\` option) to where it runs.`;
}

export function modelMissingMessage(host: string, model: string, installed?: string[]): string {
  const list = installed === undefined ? '' : installed.length > 0 ? ` Installed: ${installed.join(', ')}.` : ' No model is installed.';
  return `Ollama at ${host} has no model "${model}": run \`ollama pull ${model}\`.${list}`;
}

/**
 * Retry policy: 429, 408 and 5xx are retried (429 honours Retry-After); a broken connection
 * (reset, dropped mid-response) is retried; a refused connection is retried only once the server
 * has answered this provider before (a restart mid-run), and is fatal immediately otherwise, so
 * that a server that is not running gives one clear error instead of a stack of retries. 404
 * (model missing) and 401/403 are fatal at once; other 4xx and timeouts fail the call without retry.
 */
export function classifyFailure(error: unknown, ctx: FailureContext): AttemptFailure {
  if (error instanceof LLMError) return { error, retryable: false };
  if (ctx.callerSignal?.aborted) {
    return { error: new LLMError('The Ollama request was aborted by the caller.', 'aborted', true, { cause: error }), retryable: false };
  }
  if (ctx.closed) {
    return { error: new LLMError('The Ollama provider was closed while this request was in flight.', 'aborted', true, { cause: error }), retryable: false };
  }
  if (ctx.timeoutSignal.aborted) {
    const message = `Ollama at ${ctx.host} did not finish within ${ctx.timeoutMs} ms (model "${ctx.model}"). Raise \`timeoutMs\`, lower \`maxTokens\`, or use a smaller model.`;
    return { error: new LLMError(message, 'timeout', false, { cause: error }), retryable: false };
  }
  const http = httpStatus(error);
  if (http) {
    const { status } = http;
    const said = `Ollama at ${ctx.host} answered ${status}: ${http.message}`;
    if (status === 404) {
      return { error: new LLMError(`${modelMissingMessage(ctx.host, ctx.model)} (server said: ${http.message})`, 'model-missing', true, { cause: error }), retryable: false };
    }
    if (status === 401 || status === 403) {
      return { error: new LLMError(`${said}. Check the credentials/headers of the proxy in front of Ollama (\`headers\` option).`, 'auth', true, { cause: error }), retryable: false };
    }
    if (status === 429) {
      return { error: new LLMError(said, 'rate-limited', false, { cause: error }), retryable: true, retryAfterMs: parseRetryAfter(ctx.headers) };
    }
    if (status === 408 || status >= 500) {
      return { error: new LLMError(said, 'server', false, { cause: error }), retryable: true, retryAfterMs: parseRetryAfter(ctx.headers) };
    }
    return { error: new LLMError(said, 'bad-request', false, { cause: error }), retryable: false };
  }
  const network = networkFailure(error);
  if (network?.phase === 'connect') {
    const unreachable = new LLMError(unreachableMessage(ctx.host, network.code), 'unreachable', true, { cause: error });
    if (!ctx.contacted) return { error: unreachable, retryable: false };
    return {
      error: new LLMError(`Ollama at ${ctx.host} stopped accepting connections (${network.code}).`, 'unreachable', false, { cause: error }),
      retryable: true,
      exhausted: unreachable,
    };
  }
  if (network?.phase === 'broken') {
    return { error: new LLMError(`The connection to Ollama at ${ctx.host} broke (${network.code}).`, 'server', false, { cause: error }), retryable: true };
  }
  // Errors reported inside a stream ({"error": ...}) and streams that ended without `done`.
  const message = error instanceof Error ? error.message : String(error);
  return { error: new LLMError(`Ollama at ${ctx.host} failed: ${message}`, 'server', false, { cause: error }), retryable: true };
}
