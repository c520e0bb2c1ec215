import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { LLMError } from './provider.js';

/*
 * A hand-written retry loop rather than p-retry / exponential-backoff: the delay of each retry
 * may come from the server (Retry-After), and whether to retry at all depends on our own error
 * classification (fatal vs transient) and on whether the server has ever answered. Those
 * libraries take neither a per-failure delay nor a fatal/transient verdict per failure.
 */

/** How failed attempts are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff step; doubles every retry. */
  baseDelayMs: number;
  /** Cap of one backoff step (before jitter). */
  maxDelayMs: number;
  /** Cap of a server-requested wait (Retry-After). */
  maxRetryAfterMs: number;
}

/** Retry settings an HTTP provider exposes in its options; every field optional. */
export interface RetryOptions {
  /** Retries after the first attempt on rate limits, server errors and broken connections (default 4). */
  retries?: number;
  /** First backoff step in ms, doubled every retry, with jitter (default 500). */
  retryDelayMs?: number;
  /** Cap of one backoff step in ms (default 8000). */
  maxRetryDelayMs?: number;
  /** Cap of a server-requested Retry-After wait in ms (default 60000). */
  maxRetryAfterMs?: number;
}

const retryOptionsSchema = z.object({
  retries: z.number().int().min(0).default(4),
  retryDelayMs: z.number().min(0).default(500),
  maxRetryDelayMs: z.number().min(0).default(8_000),
  maxRetryAfterMs: z.number().min(0).default(60_000),
});

/**
 * The {@link RetryPolicy} of a provider's options (other fields are ignored), defaults filled.
 * Throws a TypeError naming `where` (e.g. `ollama()`) and each bad field.
 */
export function retryPolicyOf(options: RetryOptions, where: string): RetryPolicy {
  const parsed = retryOptionsSchema.safeParse(options);
  if (!parsed.success) throw new TypeError(`${where}: invalid options:\n${z.prettifyError(parsed.error)}`);
  const { retries, retryDelayMs, maxRetryDelayMs, maxRetryAfterMs } = parsed.data;
  return { retries, baseDelayMs: retryDelayMs, maxDelayMs: maxRetryDelayMs, maxRetryAfterMs };
}

/** The verdict on one failed attempt. */
export interface AttemptFailure {
  /** The error to throw if this failure ends the call. */
  error: LLMError;
  /** Worth another attempt. */
  retryable: boolean;
  /** The server asked to wait this long before retrying. */
  retryAfterMs?: number;
  /** Error to throw instead of `error` when retries are exhausted (defaults to `error`). */
  exhausted?: LLMError;
}

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return step / 2 + Math.random() * (step / 2);
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) and the non-standard `retry-after-ms`.
 * Returns milliseconds, or undefined when absent or unparsable.
 */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or `policy.retries` retries are
 * spent. Waits the server's Retry-After when given (capped), else exponential backoff with jitter.
 */
export async function withRetries<T>(
  attempt: (index: number) => Promise<T>,
  classify: (error: unknown) => AttemptFailure,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      const failure = classify(error);
      if (!failure.retryable) throw failure.error;
      if (index >= policy.retries) {
        const last = failure.exhausted ?? failure.error;
        throw new LLMError(`${last.message} (gave up after ${index + 1} attempts)`, last.kind, last.fatal, { cause: last.cause ?? error });
      }
      const wait =
        failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, policy.maxRetryAfterMs) : backoffDelay(index, policy);
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        throw new LLMError('The LLM request was aborted while waiting to retry.', 'aborted', true, { cause: error });
      }
    }
  }
}
