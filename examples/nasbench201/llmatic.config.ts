/**
 * The paper's NAS-Bench-201 setting: 20 generations x 100 offspring, LLMatic's defaults.
 *
 * The LLM is chosen by environment variables:
 *   LLMATIC_LLM=ollama|openai|llama-cpp. Unset: Ollama when a server answers at OLLAMA_HOST,
 *     else the embedded llama.cpp provider (downloads a small GGUF code model on first use).
 *   LLMATIC_MODEL: the model (an Ollama or OpenAI model name, or a GGUF path / hf: URI).
 *   OLLAMA_HOST, OPENAI_BASE_URL, OPENAI_API_KEY.
 *   LLMATIC_CONSTRAINED=1|0: constrain replies to the cell grammar (default: on for llama-cpp,
 *     off otherwise, the paper's setting).
 * The benchmark table: LLMATIC_NB201_TABLE, or see plugins/nasbench201/README.md.
 * The dataset: LLMATIC_NB201_DATASET=cifar10|cifar100|imagenet16-120 (default cifar10).
 */
import { defineConfig, llmatic, type LLMProvider } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { ollama, ollamaReachable } from '@llmatic/provider-ollama';
import { openai } from '@llmatic/provider-openai';
import { llamaCpp } from '@llmatic/provider-llama-cpp';

const EMBEDDED_MODEL = 'hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M';

async function chooseLLM(): Promise<{ kind: string; llm: LLMProvider }> {
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

const { kind, llm } = await chooseLLM();
const dataset = (process.env.LLMATIC_NB201_DATASET ?? 'cifar10') as 'cifar10' | 'cifar100' | 'imagenet16-120';
const constrained = process.env.LLMATIC_CONSTRAINED;

export default defineConfig({
  ...nasBench201({ dataset }),
  llm,
  strategy: llmatic(),
  constrainedDecoding: constrained === undefined ? kind === 'llama-cpp' : constrained === '1',
  generations: 20,
  batchSize: 100,
  seed: 0,
  concurrency: { llm: 4 },
});
