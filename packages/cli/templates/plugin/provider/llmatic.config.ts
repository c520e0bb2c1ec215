/**
 * LLMatic on NAS-Bench-201 with this provider. Needs a server speaking the protocol of
 * src/index.ts at LLM_URL (default http://127.0.0.1:8080), and the NAS-Bench-201 table
 * (LLMATIC_NB201_TABLE, or the cache: see @llmatic/nasbench201's README).
 * `npm run search` (or `npx llmatic run llmatic.config.ts --out runs/try`).
 */
import { defineConfig, llmatic } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { {{factory}} } from './src/index.ts';

export default defineConfig({
  ...nasBench201({ dataset: 'cifar10' }),
  llm: {{factory}}({ baseURL: process.env.LLM_URL ?? 'http://127.0.0.1:8080', model: process.env.LLM_MODEL ?? 'my-model' }),
  strategy: llmatic(),
  generations: 2,
  batchSize: 10,
  seed: 0,
});
