/**
 * The examples' LLM, chosen by environment variables:
 *   LLMATIC_LLM=ollama|openai|llama-cpp. Unset: Ollama when a server answers at OLLAMA_HOST,
 *     else the embedded llama.cpp provider (downloads a small GGUF code model on first use).
 *   LLMATIC_MODEL: the model (an Ollama or OpenAI model name, or a GGUF path / hf: URI).
 *   OLLAMA_HOST, OPENAI_BASE_URL, OPENAI_API_KEY.
 */
import type { LLMProvider } from '@llmatic/core';
import { ollama, ollamaReachable } from '@llmatic/provider-ollama';
import { openai } from '@llmatic/provider-openai';
import { llamaCpp } from '@llmatic/provider-llama-cpp';

export const EMBEDDED_MODEL = 'hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M';

export type LLMKind = 'ollama' | 'openai' | 'llama-cpp';

export async function chooseLLM(): Promise<{ kind: LLMKind; llm: LLMProvider }> {
  const kind = process.env.LLMATIC_LLM ?? ((await ollamaReachable()) ? 'ollama' : 'llama-cpp');
  const model = process.env.LLMATIC_MODEL;
  switch (kind) {
    case 'ollama':
      return { kind, llm: ollama({ model: model ?? 'qwen2.5-coder:7b', concurrency: 2 }) };
    case 'openai':
      return { kind, llm: openai({ model: model ?? 'gpt-4o-mini', concurrency: 8 }) };
    case 'llama-cpp':
      return { kind, llm: llamaCpp({ model: model ?? EMBEDDED_MODEL, contexts: 2 }) };
    default:
      throw new Error(`LLMATIC_LLM must be "ollama", "openai" or "llama-cpp", got "${kind}".`);
  }
}
