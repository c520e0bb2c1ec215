import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Options of {@link llamaCpp}. */
export interface LlamaCppOptions {
  /**
   * The model: a local GGUF file path (absolute, or relative to the working directory), or a model
   * URI that is downloaded into {@link LlamaCppOptions.cacheDir} on first use:
   * `hf:<user>/<repo>/<file>.gguf`, `hf:<user>/<repo>:<quant>`, or an `https://` URL.
   */
  model: string;
  /** Where downloaded models are kept. Defaults to `~/.cache/llmatic/models`. */
  cacheDir?: string;
  /**
   * How many requests are generated at once (the context pool size). Further requests wait.
   * Each one holds its own KV cache of {@link LlamaCppOptions.contextSize} tokens. Defaults to 1.
   */
  contexts?: number;
  /**
   * Tokens per request (prompt and reply together). Defaults to the model's training context
   * size, at most 4096.
   */
  contextSize?: number;
  /** `'auto'` uses a GPU when one is usable (CUDA, Vulkan, Metal); `false` forces the CPU. */
  gpu?: 'auto' | false;
  /** CPU threads for evaluation. Defaults to the number of CPU cores that are useful for math. */
  threads?: number;
  /**
   * Show a download progress bar on stderr. Defaults to `true`; the bar is drawn only when
   * stderr is a terminal, otherwise one line is printed when a download starts and ends.
   */
  progress?: boolean;
  /**
   * Milliseconds to wait for the download server to answer before a model URI counts as not
   * downloadable (no internet). Defaults to 15000.
   */
  connectTimeoutMs?: number;
}

/** Default folder of downloaded models. */
export function defaultCacheDir(): string {
  return join(homedir(), '.cache', 'llmatic', 'models');
}

/** Default upper bound of {@link LlamaCppOptions.contextSize}. */
export const DEFAULT_MAX_CONTEXT_SIZE = 4096;

const optionsSchema = z.strictObject({
  model: z.string().trim().min(1, 'model must name a GGUF file path or a model URI'),
  cacheDir: z.string().min(1).optional(),
  contexts: z.number().int().min(1).max(64).optional(),
  contextSize: z.number().int().min(64).optional(),
  gpu: z.union([z.literal('auto'), z.literal(false)]).optional(),
  threads: z.number().int().min(1).optional(),
  progress: z.boolean().optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
});

/** Options after validation, with defaults applied. */
export interface ResolvedLlamaCppOptions {
  model: string;
  cacheDir: string;
  contexts: number;
  contextSize: number | undefined;
  gpu: 'auto' | false;
  threads: number | undefined;
  progress: boolean;
  connectTimeoutMs: number;
}

/** Validates user options (they come from a config file) and fills in defaults. */
export function resolveOptions(options: LlamaCppOptions): ResolvedLlamaCppOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`)
      .join('; ');
    throw new TypeError(`Invalid llamaCpp options: ${problems}`);
  }
  const o = parsed.data;
  return {
    model: o.model,
    cacheDir: o.cacheDir ?? defaultCacheDir(),
    contexts: o.contexts ?? 1,
    contextSize: o.contextSize,
    gpu: o.gpu ?? 'auto',
    threads: o.threads,
    progress: o.progress ?? true,
    connectTimeoutMs: o.connectTimeoutMs ?? 15_000,
  };
}
