/**
 * Pre-screening MNIST networks with NASWOT: random search over the TensorFlow.js space, every
 * candidate scored untrained on 64 real digits in milliseconds (no LLM, no training). Swap in
 * `llmatic()` and an `llm` to let a code model write the networks, or `tfjsTrainer` to train the
 * elites this run finds.
 *
 *   npx llmatic run llmatic.config.ts --out runs/naswot
 */
import { defineConfig, randomSearch } from '@llmatic/core';
import { tfjsSpace } from '@llmatic/tfjs';
import { mnistMinibatch, naswot } from 'llmatic-naswot';

export default defineConfig({
  space: tfjsSpace({
    inputShape: [28, 28, 1],
    numClasses: 10,
    // MNIST networks are small: the space's CIFAR-10 bounds (200 MFLOPs - 5 GFLOPs) would clip them all.
    descriptorBounds: { flops: [0, 50e6], widthDepth: [0, 64] },
  }),
  evaluator: naswot({ batch: mnistMinibatch({ size: 64 }) }),
  strategy: randomSearch(),
  generations: 10,
  batchSize: 20,
  seed: 0,
  concurrency: { evaluations: 2 },
});
