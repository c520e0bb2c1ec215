/**
 * The paper's NAS-Bench-201 setting: 20 generations x 100 offspring, with LLMatic's recommended preset
 * (or the paper's: LLMATIC_PRESET=paper).
 *
 * LLM: see ../shared/choose-llm.ts (LLMATIC_LLM, LLMATIC_MODEL, OLLAMA_HOST, OPENAI_BASE_URL).
 * LLMATIC_CONSTRAINED=1|0: constrain replies to the cell grammar (default: on for llama-cpp,
 *   off otherwise, the paper's setting).
 * The benchmark table: LLMATIC_NB201_TABLE, else ../shared/data/nas-bench-201/nb201.csv.gz beside
 *   this repository when it is there, else the cache (see plugins/nasbench201/README.md).
 * The dataset: LLMATIC_NB201_DATASET=cifar10|cifar100|imagenet16-120 (default cifar10).
 * The strategy: LLMATIC_PRESET=recommended|paper (default recommended; `paper` is Algorithm 1 of
 *   the paper with SPEC.md's corrections, for reproducing its Table 1).
 */
import { defineConfig, llmatic } from '@llmatic/core';
import { nasBench201 } from '@llmatic/nasbench201';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chooseLLM } from '../shared/choose-llm.ts';

const besideRepo = fileURLToPath(new URL('../../../shared/data/nas-bench-201/nb201.csv.gz', import.meta.url));
const table = process.env.LLMATIC_NB201_TABLE ?? (existsSync(besideRepo) ? besideRepo : undefined);

const { kind, llm } = await chooseLLM();
const dataset = (process.env.LLMATIC_NB201_DATASET ?? 'cifar10') as 'cifar10' | 'cifar100' | 'imagenet16-120';
const constrained = process.env.LLMATIC_CONSTRAINED;
const preset = process.env.LLMATIC_PRESET ?? 'recommended';
if (preset !== 'recommended' && preset !== 'paper') {
  throw new Error(`LLMATIC_PRESET must be "recommended" or "paper", got "${preset}"`);
}

export default defineConfig({
  ...nasBench201({ dataset, ...(table ? { table } : {}) }),
  llm,
  strategy: llmatic({ preset }),
  constrainedDecoding: constrained === undefined ? kind === 'llama-cpp' : constrained === '1',
  generations: 20,
  batchSize: 100,
  seed: 0,
  concurrency: { llm: 4 },
});
