import { Ollama, type ChatResponse, type GenerateResponse, type Options as OllamaModelOptions } from 'ollama';
import pLimit from 'p-limit';
import { LLMError, networkFailure, withRetries, type GenerateRequest, type GenerateResult, type LLMProvider } from '@llmatic/core';
import { classifyFailure, modelMissingMessage, unreachableMessage } from './errors.js';
import { resolveOptions, type OllamaProviderOptions, type ResolvedOllamaOptions } from './options.js';

/** Longest wait of the start-up check. */
const CHECK_TIMEOUT_MS = 30_000;

/** One request's transport: an Ollama client whose fetch carries our signal and records what came back. */
interface Transport {
  client: Ollama;
  lastHeaders(): Headers | undefined;
}

type Reply = Pick<ChatResponse, 'model' | 'done_reason' | 'prompt_eval_count' | 'eval_count'> & { text: string };

/**
 * An {@link LLMProvider} for an Ollama server, on the official `ollama` client.
 *
 * Chat requests (`messages`) go to `/api/chat`, prompt requests to `/api/generate`. Every call
 * sends `keep_alive` so the model stays loaded between calls. Retries: see
 * {@link classifyFailure}; a server that refuses the very first connection fails at once with a
 * fatal `unreachable` error. GBNF `grammar` is not supported by Ollama and is ignored.
 *
 * @example
 * ```ts
 * const llm = ollama({ model: 'qwen2.5-coder:7b', concurrency: 2, options: { num_ctx: 8192 } });
 * await llm.check();
 * const { text, usage } = await llm.generate({ messages: [{ role: 'user', content: 'hi' }], temperature: 0.7 });
 * ```
 */
export function ollama(options: OllamaProviderOptions): LLMProvider {
  return new OllamaProvider(resolveOptions(options));
}

class OllamaProvider implements LLMProvider {
  readonly name = 'ollama';
  readonly model: string;
  private readonly limit: ReturnType<typeof pLimit>;
  /** Set once the server has answered anything: refused connections after that are a restart, worth retrying. */
  private contacted = false;
  private readonly active = new Set<AbortController>();

  constructor(private readonly config: ResolvedOllamaOptions) {
    this.model = config.model;
    this.limit = pLimit(config.concurrency);
  }

  private transport(signal: AbortSignal): Transport {
    let headers: Headers | undefined;
    const fetchWithSignal: typeof fetch = async (input, init) => {
      const signals = init?.signal ? [signal, init.signal] : [signal];
      const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
      this.contacted = true;
      headers = response.headers;
      return response;
    };
    const client = new Ollama({ host: this.config.host, fetch: fetchWithSignal, headers: this.config.headers });
    return { client, lastHeaders: () => headers };
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    if ((request.prompt === undefined) === (request.messages === undefined)) {
      return Promise.reject(
        new LLMError('A GenerateRequest needs exactly one of `prompt` or `messages`.', 'bad-request', false),
      );
    }
    return this.limit(() => this.generateWithRetries(request));
  }

  private async generateWithRetries(request: GenerateRequest): Promise<GenerateResult> {
    const { config } = this;
    let attemptContext: { timeoutSignal: AbortSignal; transport: Transport; controller: AbortController } | undefined;
    const reply = await withRetries(
      async () => {
        const timeoutSignal = AbortSignal.timeout(config.timeoutMs);
        const controller = new AbortController();
        const signals = [timeoutSignal, controller.signal, ...(request.signal ? [request.signal] : [])];
        const transport = this.transport(AbortSignal.any(signals));
        attemptContext = { timeoutSignal, transport, controller };
        this.active.add(controller);
        try {
          return await this.attempt(transport.client, request);
        } finally {
          this.active.delete(controller);
        }
      },
      (error) =>
        classifyFailure(error, {
          host: config.host,
          model: config.model,
          contacted: this.contacted,
          callerSignal: request.signal,
          closed: attemptContext?.controller.signal.aborted ?? false,
          timeoutSignal: attemptContext?.timeoutSignal ?? new AbortController().signal,
          timeoutMs: config.timeoutMs,
          headers: attemptContext?.transport.lastHeaders(),
        }),
      config.retry,
      request.signal,
    );
    return {
      text: reply.text,
      usage: { promptTokens: reply.prompt_eval_count ?? 0, completionTokens: reply.eval_count ?? 0 },
      model: reply.model || config.model,
      ...(reply.done_reason ? { finishReason: reply.done_reason } : {}),
    };
  }

  private modelOptions(request: GenerateRequest): Partial<OllamaModelOptions> {
    return {
      ...this.config.options,
      temperature: request.temperature,
      ...(request.maxTokens !== undefined ? { num_predict: request.maxTokens } : {}),
      ...(request.stop !== undefined ? { stop: request.stop } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    };
  }

  private async attempt(client: Ollama, request: GenerateRequest): Promise<Reply> {
    const { config } = this;
    const common = {
      model: config.model,
      keep_alive: config.keepAlive,
      options: this.modelOptions(request),
      ...(config.think !== undefined ? { think: config.think } : {}),
    };
    if (request.messages) {
      const body = { ...common, messages: request.messages };
      if (!config.stream) {
        const done = await client.chat({ ...body, stream: false });
        return { ...done, text: done.message?.content ?? '' };
      }
      return accumulate(await client.chat({ ...body, stream: true }), (part) => part.message?.content ?? '');
    }
    const body = { ...common, prompt: request.prompt ?? '', ...(config.raw ? { raw: true } : {}) };
    if (!config.stream) {
      const done = await client.generate({ ...body, stream: false });
      return { ...done, text: done.response ?? '' };
    }
    return accumulate(await client.generate({ ...body, stream: true }), (part: GenerateResponse) => part.response ?? '');
  }

  async check(signal?: AbortSignal): Promise<void> {
    const { host, model } = this.config;
    const timeout = AbortSignal.timeout(Math.min(this.config.timeoutMs, CHECK_TIMEOUT_MS));
    const { client } = this.transport(signal ? AbortSignal.any([signal, timeout]) : timeout);
    try {
      await client.show({ model });
    } catch (error) {
      if (signal?.aborted) throw new LLMError('The Ollama start-up check was aborted.', 'aborted', true, { cause: error });
      const network = networkFailure(error);
      if (network || timeout.aborted) {
        throw new LLMError(unreachableMessage(host, network?.code ?? 'no answer'), 'unreachable', true, { cause: error });
      }
      const failure = classifyFailure(error, {
        host,
        model,
        contacted: true,
        timeoutSignal: timeout,
        timeoutMs: CHECK_TIMEOUT_MS,
      });
      if (failure.error.kind === 'model-missing') {
        const installed = await client.list().then(
          (list) => list.models.map((m) => m.name),
          () => undefined,
        );
        throw new LLMError(modelMissingMessage(host, model, installed), 'model-missing', true, { cause: error });
      }
      throw failure.error;
    }
  }

  async close(): Promise<void> {
    for (const controller of this.active) controller.abort();
    this.active.clear();
    if (!this.config.unloadOnClose) return;
    const { client } = this.transport(AbortSignal.timeout(CHECK_TIMEOUT_MS));
    // An empty prompt with keep_alive 0 unloads the model; a server already gone is fine.
    await client.generate({ model: this.config.model, prompt: '', keep_alive: 0, stream: false }).catch(() => undefined);
  }
}

/** Concatenates a streamed reply; usage and finish reason come from the final (`done`) chunk. */
async function accumulate<T extends ChatResponse | GenerateResponse>(
  stream: AsyncIterable<T>,
  piece: (part: T) => string,
): Promise<Reply> {
  let text = '';
  for await (const part of stream) {
    text += piece(part);
    if (part.done) {
      return { text, model: part.model, done_reason: part.done_reason, prompt_eval_count: part.prompt_eval_count, eval_count: part.eval_count };
    }
  }
  throw new Error('The Ollama stream ended without a final `done` message.');
}
