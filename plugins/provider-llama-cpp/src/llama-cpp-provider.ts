import {
  LLMError,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type LLMProvider,
} from '@llmatic/core';
import {
  getLlama,
  LlamaChat,
  LlamaCompletion,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { locateModel } from './model-source.js';
import {
  DEFAULT_MAX_CONTEXT_SIZE,
  resolveOptions,
  type LlamaCppOptions,
  type ResolvedLlamaCppOptions,
} from './options.js';
import { Pool } from './sequence-pool.js';
import { countChatPromptTokens, tokenizeCompletionPrompt } from './token-count.js';

/** A result of the llama.cpp provider. */
export interface LlamaCppGenerateResult extends GenerateResult {
  /**
   * True when decoding was constrained by `request.grammar` (every sampled token was allowed by
   * the grammar); false for free generation.
   */
  constrained: boolean;
  /** Why generation ended: `stop` (end of text, a stop sequence, or the grammar completed) or `length`. */
  finishReason: 'stop' | 'length';
}

/** What is loaded, for logs and diagnostics. */
export interface LlamaCppInfo {
  /** The GGUF file in use. */
  modelPath: string;
  /** Tokens per request (prompt and reply). */
  contextSize: number;
  /** Concurrent requests. */
  contexts: number;
  /** GPU backend in use, or `false` for the CPU. */
  gpu: string | false;
  /** Layers offloaded to the GPU. */
  gpuLayers: number;
  /** Thread limit of the CPU backend. */
  threads: number;
}

/** Lifecycle of a provider: nothing loaded, loading, loaded, or closed for good. */
export type LlamaCppStatus = 'idle' | 'loading' | 'ready' | 'closed';

interface Runtime {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  pool: Pool<LlamaContextSequence>;
  contextSize: number;
  info: LlamaCppInfo;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stderrLogger(level: LlamaLogLevel, message: string): void {
  const text = message.trimEnd();
  if (text.length > 0) process.stderr.write(`[llama.cpp ${level}] ${text}\n`);
}

function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    if (m.role === 'assistant') return { type: 'model', response: [m.content] };
    return m.role === 'system' ? { type: 'system', text: m.content } : { type: 'user', text: m.content };
  });
  // The model answers in a new (empty) model turn; a trailing assistant message is continued.
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

function finishReasonOf(stopReason: string): 'stop' | 'length' {
  return stopReason === 'maxTokens' ? 'length' : 'stop';
}

/**
 * An embedded llama.cpp {@link LLMProvider} (through node-llama-cpp). The model is loaded once,
 * lazily, and kept for the whole run; requests are served by a pool of context sequences.
 */
export class LlamaCppProvider implements LLMProvider {
  readonly name = 'llama-cpp';
  readonly model: string;
  private readonly options: ResolvedLlamaCppOptions;
  private loading: Promise<Runtime> | undefined;
  private runtime: Runtime | undefined;
  private closed = false;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(options: LlamaCppOptions) {
    this.options = resolveOptions(options);
    this.model = this.options.model;
  }

  get status(): LlamaCppStatus {
    if (this.closed) return 'closed';
    if (this.runtime) return 'ready';
    return this.loading ? 'loading' : 'idle';
  }

  /** What is loaded, once the model is loaded. */
  get info(): LlamaCppInfo | undefined {
    return this.runtime?.info;
  }

  /** Loads the model (downloading it first if needed) and its contexts. */
  async check(signal?: AbortSignal): Promise<void> {
    await this.load(signal);
  }

  async generate(request: GenerateRequest): Promise<LlamaCppGenerateResult> {
    const hasPrompt = request.prompt !== undefined;
    const hasMessages = request.messages !== undefined;
    if (hasPrompt === hasMessages) {
      throw new LLMError('A request needs exactly one of `prompt` or `messages`.', 'bad-request', false);
    }
    if (hasMessages && request.messages?.length === 0) {
      throw new LLMError('A chat request needs at least one message.', 'bad-request', false);
    }
    const runtime = await this.load(request.signal);
    const grammar = request.grammar !== undefined ? await this.grammarFor(runtime, request.grammar) : undefined;
    return runtime.pool.use(async (sequence) => {
      this.throwIfUnusable(request.signal);
      try {
        return request.messages !== undefined
          ? await this.chat(runtime, sequence, request.messages, request, grammar)
          : await this.complete(runtime, sequence, request.prompt ?? '', request, grammar);
      } catch (error) {
        throw this.generationError(error, request.signal);
      }
    });
  }

  /** Frees the contexts, the model and the llama.cpp backend. The provider cannot be used after. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const loading = this.loading;
    this.loading = undefined;
    this.runtime = undefined;
    this.grammars.clear();
    const runtime = await loading?.catch(() => undefined);
    if (!runtime) return;
    await runtime.context.dispose();
    await runtime.model.dispose();
    await runtime.llama.dispose();
  }

  private throwIfUnusable(signal: AbortSignal | undefined): void {
    if (this.closed) {
      throw new LLMError('The llama.cpp provider is closed; create a new one with llamaCpp(...).', 'aborted', true);
    }
    if (signal?.aborted) throw new LLMError('The request was cancelled.', 'aborted', false, { cause: signal.reason });
  }

  private generationError(error: unknown, signal: AbortSignal | undefined): LLMError {
    if (error instanceof LLMError) return error;
    if (signal?.aborted) return new LLMError('The request was cancelled.', 'aborted', false, { cause: error });
    if (this.closed) {
      return new LLMError('The llama.cpp provider was closed during the request.', 'aborted', true, { cause: error });
    }
    return new LLMError(`llama.cpp generation failed: ${errorText(error)}`, 'server', false, { cause: error });
  }

  private load(signal?: AbortSignal): Promise<Runtime> {
    this.throwIfUnusable(signal);
    if (!this.loading) {
      this.loading = this.loadRuntime(signal).then(
        (runtime) => {
          this.runtime = runtime;
          return runtime;
        },
        (error: unknown) => {
          // A failed load may be retried later (e.g. after the model file has been copied in).
          this.loading = undefined;
          throw error;
        },
      );
    }
    return this.loading;
  }

  private async loadRuntime(signal?: AbortSignal): Promise<Runtime> {
    const o = this.options;
    const modelPath = await locateModel(o.model, {
      cacheDir: o.cacheDir,
      progress: o.progress,
      connectTimeoutMs: o.connectTimeoutMs,
      ...(signal ? { signal } : {}),
    });

    let llama: Llama;
    try {
      llama = await getLlama({
        gpu: o.gpu,
        // Never compile llama.cpp at run time: use a local build or node-llama-cpp's prebuilt binaries.
        build: 'never',
        logLevel: LlamaLogLevel.warn,
        logger: stderrLogger,
        ...(o.threads !== undefined ? { maxThreads: o.threads } : {}),
      });
    } catch (error) {
      throw new LLMError(
        `node-llama-cpp has no usable llama.cpp binary for this machine (${errorText(error)}). ` +
          'Reinstall node-llama-cpp so that its prebuilt binary for this platform is installed, ' +
          'or build one with `npx --no node-llama-cpp source download`.',
        'server',
        true,
        { cause: error },
      );
    }
    // node-llama-cpp allows at least 4 CPU threads by default, which oversubscribes small machines.
    if (o.threads === undefined && llama.gpu === false) llama.maxThreads = llama.cpuMathCores;

    const disposeAll: Array<() => Promise<void>> = [() => llama.dispose()];
    const cleanUp = async (): Promise<void> => {
      for (const dispose of disposeAll.reverse()) await dispose().catch(() => undefined);
    };
    try {
      let model: LlamaModel;
      try {
        model = await llama.loadModel({ modelPath, ...(signal ? { loadSignal: signal } : {}) });
      } catch (error) {
        throw new LLMError(
          `llama.cpp could not load the model file ${modelPath}: ${errorText(error)}. ` +
            'Check that it is a complete GGUF file of an architecture llama.cpp supports.',
          'model-missing',
          true,
          { cause: error },
        );
      }
      disposeAll.push(() => model.dispose());

      const contextSize = o.contextSize ?? Math.min(model.trainContextSize, DEFAULT_MAX_CONTEXT_SIZE);
      let context: LlamaContext;
      try {
        context = await model.createContext({
          sequences: o.contexts,
          contextSize,
          ...(o.threads !== undefined ? { threads: o.threads } : {}),
          ...(signal ? { createSignal: signal } : {}),
        });
      } catch (error) {
        throw new LLMError(
          `llama.cpp could not create ${o.contexts} context(s) of ${contextSize} tokens: ${errorText(error)}. ` +
            'Lower `contextSize` or `contexts`.',
          'server',
          true,
          { cause: error },
        );
      }
      disposeAll.push(() => context.dispose());
      if (this.closed) throw new LLMError('The llama.cpp provider was closed while loading.', 'aborted', true);

      const sequences = Array.from({ length: o.contexts }, () => context.getSequence());
      return {
        llama,
        model,
        context,
        chatWrapper: resolveChatWrapper(model),
        pool: new Pool(sequences),
        contextSize: context.contextSize,
        info: {
          modelPath,
          contextSize: context.contextSize,
          contexts: o.contexts,
          gpu: llama.gpu,
          gpuLayers: model.gpuLayers,
          threads: llama.maxThreads,
        },
      };
    } catch (error) {
      await cleanUp();
      throw error;
    }
  }

  /** Parses a GBNF grammar once per distinct text. */
  private grammarFor(runtime: Runtime, text: string): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(text);
    if (!grammar) {
      grammar = runtime.llama.createGrammar({ grammar: text }).catch((error: unknown) => {
        this.grammars.delete(text);
        throw new LLMError(
          `llama.cpp rejected the GBNF grammar: ${errorText(error)}. Fix the grammar (it needs a \`root\` rule).`,
          'bad-request',
          true,
          { cause: error },
        );
      });
      this.grammars.set(text, grammar);
    }
    return grammar;
  }

  /** Room for the reply: the request's limit, capped so that prompt and reply fit the context. */
  private replyBudget(runtime: Runtime, promptTokens: number, maxTokens: number | undefined): number {
    const room = runtime.contextSize - promptTokens;
    if (room < 1) {
      throw new LLMError(
        `The prompt has ${promptTokens} tokens but a context holds ${runtime.contextSize}. ` +
          'Raise `contextSize` or shorten the prompt.',
        'bad-request',
        false,
      );
    }
    return maxTokens === undefined ? room : Math.max(1, Math.min(maxTokens, room));
  }

  private sampling(request: GenerateRequest, grammar: LlamaGrammar | undefined) {
    const stops = (request.stop ?? []).filter((s) => s.length > 0);
    return {
      temperature: request.temperature,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(stops.length > 0 ? { customStopTriggers: stops } : {}),
      ...(grammar ? { grammar } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    };
  }

  private async chat(
    runtime: Runtime,
    sequence: LlamaContextSequence,
    messages: readonly ChatMessage[],
    request: GenerateRequest,
    grammar: LlamaGrammar | undefined,
  ): Promise<LlamaCppGenerateResult> {
    const history = toChatHistory(messages);
    const promptTokens = countChatPromptTokens(runtime.model, runtime.chatWrapper, history);
    const maxTokens = this.replyBudget(runtime, promptTokens, request.maxTokens);
    let completionTokens = 0;
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: runtime.chatWrapper, autoDisposeSequence: false });
    try {
      const result = await chat.generateResponse(history, {
        ...this.sampling(request, grammar),
        maxTokens,
        onToken: (tokens: Token[]) => {
          completionTokens += tokens.length;
        },
      });
      return {
        text: result.response,
        usage: { promptTokens, completionTokens },
        model: this.model,
        finishReason: finishReasonOf(result.metadata.stopReason),
        constrained: grammar !== undefined,
      };
    } finally {
      chat.dispose({ disposeSequence: false });
    }
  }

  private async complete(
    runtime: Runtime,
    sequence: LlamaContextSequence,
    prompt: string,
    request: GenerateRequest,
    grammar: LlamaGrammar | undefined,
  ): Promise<LlamaCppGenerateResult> {
    const { tokens, count: promptTokens } = tokenizeCompletionPrompt(runtime.model, prompt);
    const maxTokens = this.replyBudget(runtime, promptTokens, request.maxTokens);
    let completionTokens = 0;
    const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      const result = await completion.generateCompletionWithMeta(tokens, {
        ...this.sampling(request, grammar),
        maxTokens,
        disableContextShift: true,
        onToken: (generated: Token[]) => {
          completionTokens += generated.length;
        },
      });
      return {
        text: result.response,
        usage: { promptTokens, completionTokens },
        model: this.model,
        finishReason: finishReasonOf(result.metadata.stopReason),
        constrained: grammar !== undefined,
      };
    } finally {
      completion.dispose({ disposeSequence: false });
    }
  }
}

/**
 * An embedded llama.cpp provider: runs a local GGUF model in this process.
 *
 * @example
 * ```ts
 * llm: llamaCpp({ model: 'hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf', contexts: 2 })
 * ```
 */
export function llamaCpp(options: LlamaCppOptions): LlamaCppProvider {
  return new LlamaCppProvider(options);
}
