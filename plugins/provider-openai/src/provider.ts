import OpenAI, { APIError } from 'openai';
import pLimit from 'p-limit';
import { LLMError, networkFailure, withRetries, type GenerateRequest, type GenerateResult, type LLMProvider } from '@llmatic/core';
import { authMessage, classifyFailure, modelMissingMessage, unreachableMessage } from './errors.js';
import { resolveOptions, type OpenAIProviderOptions, type ResolvedOpenAIOptions } from './options.js';

/** Longest wait of the start-up check. */
const CHECK_TIMEOUT_MS = 30_000;

interface Reply {
  text: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  finishReason?: string;
}

/** Token counts as OpenAI-compatible servers report them (some omit usage entirely). */
interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
}

function fromUsage(usage: WireUsage | null | undefined): Pick<Reply, 'promptTokens' | 'completionTokens'> {
  return { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
}

/**
 * An {@link LLMProvider} for OpenAI and OpenAI-compatible servers (vLLM, llama.cpp server,
 * LM Studio), on the official `openai` client.
 *
 * Chat requests (`messages`) go to `chat.completions`, prompt requests to `completions`. The
 * client's own retries are switched off (`maxRetries: 0`) because they also retry refused
 * connections and timeouts; this provider retries instead (see {@link classifyFailure}), so a
 * server that is not running fails at once with one fatal `unreachable` error. A request's GBNF
 * `grammar` is sent in the `grammarField` body field (llama.cpp's `grammar` by default).
 *
 * @example
 * ```ts
 * const llm = openai({ baseURL: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen2.5-Coder-7B-Instruct', concurrency: 4 });
 * await llm.check();
 * const { text, usage } = await llm.generate({ messages: [{ role: 'user', content: 'hi' }], temperature: 0.7 });
 * ```
 */
export function openai(options: OpenAIProviderOptions): LLMProvider {
  return new OpenAIProvider(resolveOptions(options));
}

class OpenAIProvider implements LLMProvider {
  readonly name = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  private readonly limit: ReturnType<typeof pLimit>;
  /** Set once the server has answered anything: refused connections after that are a restart, worth retrying. */
  private contacted = false;
  private readonly active = new Set<AbortController>();

  constructor(private readonly config: ResolvedOpenAIOptions) {
    this.model = config.model;
    this.limit = pLimit(config.concurrency);
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      this.contacted = true;
      return response;
    };
    this.client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL,
      maxRetries: 0,
      timeout: config.timeoutMs,
      fetch: recordingFetch,
      defaultHeaders: config.headers,
    });
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    if ((request.prompt === undefined) === (request.messages === undefined)) {
      return Promise.reject(new LLMError('A GenerateRequest needs exactly one of `prompt` or `messages`.', 'bad-request', false));
    }
    return this.limit(() => this.generateWithRetries(request));
  }

  private async generateWithRetries(request: GenerateRequest): Promise<GenerateResult> {
    const { config } = this;
    let current: { timeoutSignal: AbortSignal; controller: AbortController } | undefined;
    const reply = await withRetries(
      async () => {
        const timeoutSignal = AbortSignal.timeout(config.timeoutMs);
        const controller = new AbortController();
        current = { timeoutSignal, controller };
        const signal = AbortSignal.any([timeoutSignal, controller.signal, ...(request.signal ? [request.signal] : [])]);
        this.active.add(controller);
        try {
          return await this.attempt(request, signal);
        } finally {
          this.active.delete(controller);
        }
      },
      (error) =>
        classifyFailure(error, {
          baseURL: config.baseURL,
          model: config.model,
          contacted: this.contacted,
          callerSignal: request.signal,
          closed: current?.controller.signal.aborted ?? false,
          timeoutSignal: current?.timeoutSignal ?? new AbortController().signal,
          timeoutMs: config.timeoutMs,
        }),
      config.retry,
      request.signal,
    );
    return {
      text: reply.text,
      usage: { promptTokens: reply.promptTokens, completionTokens: reply.completionTokens },
      model: reply.model || config.model,
      ...(reply.finishReason ? { finishReason: reply.finishReason } : {}),
    };
  }

  /** Body fields shared by both endpoints. */
  private common(request: GenerateRequest): Record<string, unknown> {
    const { config } = this;
    const maxTokens = request.maxTokens ?? (request.prompt !== undefined ? config.completionMaxTokens : undefined);
    return {
      ...config.extraBody,
      model: config.model,
      temperature: request.temperature,
      ...(maxTokens !== undefined ? { [config.maxTokensField]: maxTokens } : {}),
      ...(request.stop !== undefined && request.stop.length > 0 ? { stop: request.stop } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.grammar !== undefined ? { [config.grammarField]: request.grammar } : {}),
    };
  }

  private async attempt(request: GenerateRequest, signal: AbortSignal): Promise<Reply> {
    const { client } = this;
    const common = this.common(request);
    const streaming = this.config.stream;
    const streamFields = { stream: true as const, stream_options: { include_usage: true } };
    if (request.messages) {
      const body = { ...common, model: this.config.model, messages: request.messages };
      if (!streaming) {
        const done = await client.chat.completions.create({ ...body, stream: false }, { signal });
        const choice = done.choices[0];
        return { text: choice?.message.content ?? '', model: done.model, ...fromUsage(done.usage), finishReason: choice?.finish_reason };
      }
      const reply: Reply = { text: '', model: '', promptTokens: 0, completionTokens: 0 };
      for await (const chunk of await client.chat.completions.create({ ...body, ...streamFields }, { signal })) {
        const choice = chunk.choices[0];
        reply.text += choice?.delta?.content ?? '';
        reply.model = chunk.model || reply.model;
        if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
        if (chunk.usage) Object.assign(reply, fromUsage(chunk.usage));
      }
      return reply;
    }
    const body = { ...common, model: this.config.model, prompt: request.prompt ?? '' };
    if (!streaming) {
      const done = await client.completions.create({ ...body, stream: false }, { signal });
      const choice = done.choices[0];
      return { text: choice?.text ?? '', model: done.model, ...fromUsage(done.usage), finishReason: choice?.finish_reason };
    }
    const reply: Reply = { text: '', model: '', promptTokens: 0, completionTokens: 0 };
    for await (const chunk of await client.completions.create({ ...body, ...streamFields }, { signal })) {
      const choice = chunk.choices[0];
      reply.text += choice?.text ?? '';
      reply.model = chunk.model || reply.model;
      if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
      if (chunk.usage) Object.assign(reply, fromUsage(chunk.usage));
    }
    return reply;
  }

  /**
   * Lists the served models (`GET /models`) and fails if the server is down, rejects the key, or
   * does not serve `model`. Servers without `/models` (404) skip the model check.
   */
  async check(signal?: AbortSignal): Promise<void> {
    const { baseURL, model } = this.config;
    const timeout = AbortSignal.timeout(Math.min(this.config.timeoutMs, CHECK_TIMEOUT_MS));
    const served: string[] = [];
    try {
      for await (const entry of this.client.models.list({ signal: signal ? AbortSignal.any([signal, timeout]) : timeout })) {
        served.push(entry.id);
      }
    } catch (error) {
      if (signal?.aborted) throw new LLMError('The start-up check was aborted.', 'aborted', true, { cause: error });
      if (error instanceof APIError && (error.status === 401 || error.status === 403)) {
        throw new LLMError(authMessage(baseURL, error.status, error.message), 'auth', true, { cause: error });
      }
      if (error instanceof APIError && error.status === 404) return;
      const network = networkFailure(error);
      if (network || timeout.aborted || (error instanceof APIError && error.status === undefined)) {
        throw new LLMError(unreachableMessage(baseURL, network?.code ?? 'no answer'), 'unreachable', true, { cause: error });
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new LLMError(`The model list of ${baseURL} failed: ${message}`, 'server', false, { cause: error });
    }
    if (!served.includes(model)) {
      throw new LLMError(modelMissingMessage(baseURL, model, served), 'model-missing', true);
    }
  }

  async close(): Promise<void> {
    for (const controller of this.active) controller.abort();
    this.active.clear();
  }
}
