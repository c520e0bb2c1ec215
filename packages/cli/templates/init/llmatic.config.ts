/**
 * LLMatic-TS on NAS-Bench-201 (CIFAR-10): {{strategyNote}}
 *
 *   npx llmatic run llmatic.config.ts --out runs/first
 *   npx llmatic report runs/first
 *
 * The benchmark table: {{tableNote}}
 *
 * To search with an LLM instead, import `llmatic` from '@llmatic/core' and an LLM provider
 * (`npm install @llmatic/provider-ollama`, then `ollama pull qwen2.5-coder:7b`):
 *
 *   import { ollama } from '@llmatic/provider-ollama';
 *   ...
 *   llm: ollama({ model: 'qwen2.5-coder:7b' }),
 *   strategy: llmatic(),
 */
import { defineConfig, randomSearch } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';

export default defineConfig({
  ...nasBench201({ dataset: 'cifar10'{{tableOption}} }),
  strategy: randomSearch(),
  generations: 10,
  batchSize: 50,
  seed: 0,
});
