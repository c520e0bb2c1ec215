/** One message of a chat-style request. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * A request to an LLM. Exactly one of `prompt` (completion style) or `messages` (chat style)
 * is set.
 */
export interface GenerateRequest {
  /** Completion-style prompt: the model continues this text. */
  prompt?: string;
  /** Chat-style conversation. */
  messages?: ChatMessage[];
  /** Sampling temperature, already clamped by the caller. */
  temperature: number;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
  /** Generation stops before any of these strings. */
  stop?: string[];
  /** Sampling seed, for providers that honour one. */
  seed?: number;
  /** Optional GBNF grammar that constrains the reply (providers that support it). */
  grammar?: string;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** Token counts of one call, as reported by the server (0 when it reports none). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What an LLM returned. */
export interface GenerateResult {
  text: string;
  usage: TokenUsage;
  /** The model that actually answered. */
  model: string;
  /** Why generation ended, when known (`stop`, `length`, ...). */
  finishReason?: string;
  /** Whether decoding was constrained by the request's grammar (providers that know it). */
  constrained?: boolean;
}

/**
 * An LLM backend. Implementations own their transport, retries and concurrency limit;
 * the kernel only calls `generate`.
 */
export interface LLMProvider {
  /** Provider kind, e.g. `ollama`, `openai`. */
  readonly name: string;
  /** Model identifier used for requests. */
  readonly model: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /**
   * Optional start-up check (server reachable, model present). Throws an {@link LLMError}
   * whose message says how to fix the problem.
   */
  check?(signal?: AbortSignal): Promise<void>;
  /** Frees resources (loaded models, sockets). */
  close?(): Promise<void>;
}

/** Classes of LLM failure the loop reacts to differently. */
export type LLMErrorKind =
  | 'unreachable'
  | 'model-missing'
  | 'auth'
  | 'rate-limited'
  | 'timeout'
  | 'server'
  | 'bad-request'
  | 'budget'
  | 'aborted';

/**
 * An LLM failure. `fatal` errors (server down, model missing, bad key, budget spent) stop the
 * run after a checkpoint; the others have already been retried by the provider and are recorded
 * as a failed offspring.
 */
export class LLMError extends Error {
  override readonly name = 'LLMError';
  constructor(
    message: string,
    readonly kind: LLMErrorKind,
    readonly fatal: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
