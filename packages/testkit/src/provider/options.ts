import { z } from 'zod';
import type { LLMProvider } from '@llmatic/core';
import { functionOption, timeoutOption } from '../options-schema.js';

/** A request the kit's server received. */
export interface ContractHttpRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body, parsed (undefined when there is none or it is not JSON). */
  body: unknown;
}

/** What a successful answer must carry. */
export interface ContractReply {
  text: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
}

/** An HTTP answer; an object body is sent as JSON. */
export interface ContractHttpResponse {
  status?: number;
  headers?: Record<string, string>;
  body: string | object;
}

/** Options of {@link describeProviderContract}. */
export interface ProviderContractOptions {
  /**
   * The provider under test, pointed at `baseURL` (append your API prefix such as `/v1`). Use fast
   * retries (e.g. `retryDelayMs: 1, maxRetryDelayMs: 5`) and no streaming.
   */
  create: (endpoint: { baseURL: string }) => LLMProvider;
  /** The body of a successful answer in the provider's protocol. */
  respond: (request: ContractHttpRequest, reply: ContractReply) => ContractHttpResponse;
  /** Request form used by the checks (default 'chat'). */
  form?: 'chat' | 'prompt';
  /** How long an aborted request may take to settle (default 10 000 ms). */
  abortWithinMs?: number;
  /** Per check (default 60 000 ms). */
  timeoutMs?: number;
}

export const providerOptionsSchema = z.object({
  create: functionOption('create: ({ baseURL }) => LLMProvider'),
  respond: functionOption('respond: (request, reply) => { status?, headers?, body }'),
  form: z.enum(['chat', 'prompt']).optional(),
  abortWithinMs: z.number().int().positive().optional(),
  timeoutMs: timeoutOption,
});
