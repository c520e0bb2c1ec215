/**
 * A real LLMatic search sized for a laptop CPU: TensorFlow.js networks written by the LLM, trained
 * on 8,000 real MNIST digits (the `mnist` package), selected on 1,000 held-out digits and tested
 * on 1,000 more. 10 generations x 20 offspring.
 *
 * LLM: see ../shared/choose-llm.ts. Training: LLMATIC_EPOCHS (default 5), LLMATIC_MNIST_TRAIN
 * (training digits, default 8,000), LLMATIC_LR (SGD learning rate, default 0.01; momentum 0.9).
 */
import { defineConfig, llmatic } from '@llmatic/core';
import { tfjsSpace } from '@llmatic/tfjs';
import { mnistDataset, tfjsTrainer } from '@llmatic/trainer-tfjs';
import { chooseLLM } from '../shared/choose-llm.ts';

const { llm } = await chooseLLM();
const train = Number(process.env.LLMATIC_MNIST_TRAIN ?? 8000);

export default defineConfig({
  space: tfjsSpace({
    inputShape: [28, 28, 1],
    numClasses: 10,
    // MNIST networks are small: the paper's CIFAR-10 bounds (200 MFLOPs - 5 GFLOPs) would clip them all.
    descriptorBounds: { flops: [0, 20e6], widthDepth: [0, 64] },
  }),
  evaluator: tfjsTrainer({
    dataset: mnistDataset({ train, validation: 1000, test: 1000 }),
    epochs: Number(process.env.LLMATIC_EPOCHS ?? 5),
    batchSize: 64,
    learningRate: Number(process.env.LLMATIC_LR ?? 0.01),
    momentum: 0.9,
  }),
  llm,
  // Warm-up from the seed network (not random genomes): on a laptop budget the LLM's small edits
  // of a network that trains in seconds beat random stacks that may train for minutes.
  strategy: llmatic({ init: 'seed', initThreshold: 5 }),
  generations: 10,
  batchSize: 20,
  seed: 0,
  concurrency: { llm: 2, evaluations: 2 },
});
