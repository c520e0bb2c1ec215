/**
 * The paper's CIFAR-10 setting: 20 generations x 100 offspring, each network trained for 50
 * epochs (SGD, lr 0.001, momentum 0.9, cross-entropy). Sized for a GPU machine with
 * `@tensorflow/tfjs-node-gpu` installed (`npm i @tensorflow/tfjs-node-gpu`); on CPU it runs on the
 * wasm backend, far slower.
 *
 * Data: the official CIFAR-10 binary distribution, from LLMATIC_CIFAR10_DIR (a folder with
 * data_batch_1..5.bin and test_batch.bin), else downloaded (checksum verified) into the cache.
 * LLM: see ../shared/choose-llm.ts.
 */
import { defineConfig, llmatic } from '@llmatic/core';
import { tfjsSpace } from '@llmatic/tfjs';
import { cifar10Dataset, tfjsTrainer } from '@llmatic/trainer-tfjs';
import { chooseLLM } from '../shared/choose-llm.ts';

const { llm } = await chooseLLM();
const dir = process.env.LLMATIC_CIFAR10_DIR;

export default defineConfig({
  space: tfjsSpace({ inputShape: [32, 32, 3], numClasses: 10 }),
  evaluator: tfjsTrainer({ dataset: cifar10Dataset(dir ? { dir } : {}), epochs: 50, batchSize: 64, learningRate: 0.001, momentum: 0.9 }),
  llm,
  strategy: llmatic(),
  generations: 20,
  batchSize: 100,
  seed: 0,
  concurrency: { llm: 4 },
});
