/**
 * The paper's NAS-Bench-201 setting: 20 generations x 100 offspring, LLMatic's defaults.
 *
 * The LLM is chosen by environment variables:
 *   LLMATIC_LLM=ollama|openai (default ollama), LLMATIC_MODEL (default qwen2.5-coder:7b),
 *   OLLAMA_HOST, OPENAI_BASE_URL, OPENAI_API_KEY.
 * The benchmark table: LLMATIC_NB201_TABLE, or see plugins/nasbench201/README.md.
 * The dataset: LLMATIC_NB201_DATASET=cifar10|cifar100|imagenet16-120 (default cifar10).
 */
import { defineConfig, llmatic, type LLMProvider } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { ollama } from '@llmatic/provider-ollama';
import { openai } from '@llmatic/provider-openai';

function chooseLLM(): LLMProvider {
  const kind = process.env.LLMATIC_LLM ?? 'ollama';
  const model = process.env.LLMATIC_MODEL ?? (kind === 'openai' ? 'gpt-4o-mini' : 'qwen2.5-coder:7b');
  if (kind === 'openai') return openai({ model, concurrency: 8 });
  if (kind === 'ollama') return ollama({ model });
  throw new Error(`LLMATIC_LLM must be "ollama" or "openai", got "${kind}".`);
}

const dataset = (process.env.LLMATIC_NB201_DATASET ?? 'cifar10') as 'cifar10' | 'cifar100' | 'imagenet16-120';

export default defineConfig({
  ...nasBench201({ dataset }),
  llm: chooseLLM(),
  strategy: llmatic(),
  generations: 20,
  batchSize: 100,
  seed: 0,
  concurrency: { llm: 4 },
});
