import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { GenerateRequest, GenerateResult, LLMProvider } from './provider.js';

/** Options of {@link withReplyCache}. */
export interface ReplyCacheOptions {
  /** Folder of the cache (created when missing), e.g. `.llmatic-cache/replies`. */
  dir: string;
  /**
   * Also cache requests that sample (temperature > 0) without a seed. Off by default: such
   * requests are meant to give a different reply each time, and a cache would make every repeat
   * of a prompt return the first reply.
   */
  cacheUnseeded?: boolean;
}

/** Hits and misses since the wrapper was made. */
export interface ReplyCacheStats {
  hits: number;
  misses: number;
  /** Requests passed through uncached (unseeded sampling). */
  bypassed: number;
}

/** A provider wrapped by {@link withReplyCache}. */
export interface CachedProvider extends LLMProvider {
  stats(): ReplyCacheStats;
}

const CACHE_VERSION = 1;

const entrySchema = z.object({
  version: z.literal(CACHE_VERSION),
  key: z.string(),
  result: z.object({
    text: z.string(),
    usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }),
    model: z.string(),
    finishReason: z.string().optional(),
  }),
});

/** Everything that changes the reply: provider, model, input, sampling and decoding constraints. */
export function replyCacheKey(provider: Pick<LLMProvider, 'name' | 'model'>, request: GenerateRequest): string {
  const identity = {
    v: CACHE_VERSION,
    provider: provider.name,
    model: provider.model,
    prompt: request.prompt ?? null,
    messages: request.messages?.map((m) => [m.role, m.content]) ?? null,
    temperature: request.temperature,
    seed: request.seed ?? null,
    grammar: request.grammar ?? null,
    maxTokens: request.maxTokens ?? null,
    stop: request.stop ?? null,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

/**
 * Wraps `provider` with an on-disk cache of replies keyed by {@link replyCacheKey} (provider,
 * model, prompt or messages, temperature, seed, grammar, maxTokens, stop). A repeated call is
 * answered from disk without calling the provider and reports zero token usage, so budgets
 * count it as free. Only successful replies are stored; identical calls in flight at once share
 * one provider call. Entries are one JSON file each, written atomically (temp file + rename), so
 * a crash never leaves a half-written entry; an unreadable entry counts as a miss and is rewritten.
 */
export function withReplyCache(provider: LLMProvider, options: ReplyCacheOptions): CachedProvider {
  if (typeof options?.dir !== 'string' || options.dir.trim() === '') {
    throw new TypeError('withReplyCache(): set `dir` to the folder for cached replies, e.g. ".llmatic-cache/replies".');
  }
  const { dir } = options;
  const cacheUnseeded = options.cacheUnseeded ?? false;
  const stats: ReplyCacheStats = { hits: 0, misses: 0, bypassed: 0 };
  const pending = new Map<string, Promise<GenerateResult>>();

  const pathOf = (key: string): string => join(dir, key.slice(0, 2), `${key}.json`);

  async function load(key: string): Promise<GenerateResult | undefined> {
    let text: string;
    try {
      text = await readFile(pathOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = entrySchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.key === key ? parsed.data.result : undefined;
    } catch {
      return undefined;
    }
  }

  async function store(key: string, result: GenerateResult): Promise<void> {
    const path = pathOf(key);
    await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    const { text, usage, model, finishReason } = result;
    const entry = { version: CACHE_VERSION, key, result: { text, usage, model, ...(finishReason ? { finishReason } : {}) } };
    await writeFile(temp, `${JSON.stringify(entry)}\n`, 'utf8');
    await rename(temp, path);
  }

  async function lookup(key: string, request: GenerateRequest): Promise<GenerateResult> {
    const cached = await load(key);
    if (cached) {
      stats.hits += 1;
      return { ...cached, usage: { promptTokens: 0, completionTokens: 0 } };
    }
    stats.misses += 1;
    const result = await provider.generate(request);
    await store(key, result);
    return result;
  }

  return {
    name: provider.name,
    model: provider.model,
    generate(request: GenerateRequest): Promise<GenerateResult> {
      if (!cacheUnseeded && request.temperature > 0 && request.seed === undefined) {
        stats.bypassed += 1;
        return provider.generate(request);
      }
      const key = replyCacheKey(provider, request);
      const inFlight = pending.get(key);
      if (inFlight) {
        stats.hits += 1;
        return inFlight.then((result) => ({ ...result, usage: { promptTokens: 0, completionTokens: 0 } }));
      }
      const call = lookup(key, request).finally(() => pending.delete(key));
      pending.set(key, call);
      return call;
    },
    ...(provider.check ? { check: (signal?: AbortSignal) => provider.check!(signal) } : {}),
    ...(provider.close ? { close: () => provider.close!() } : {}),
    stats: () => ({ ...stats }),
  };
}
