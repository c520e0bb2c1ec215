/** The tfjs trainer keeps the evaluator contract of @llmatic/testkit, on a tiny slice of MNIST. */
import * as tf from '@tensorflow/tfjs';
import { describeEvaluatorContract } from '@llmatic/testkit';
import { mnistDataset, tfjsTrainer, type TfjsModelSpec } from '@llmatic/trainer-tfjs';

/** A model spec as @llmatic/tfjs produces it: the Layers topology JSON plus shapes. */
function spec(units: number): TfjsModelSpec {
  const model = tf.sequential({
    layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 1, kernelSize: 1, activation: 'relu' }), tf.layers.flatten(), tf.layers.dense({ units })],
  });
  const topology = model.toJSON(null, false);
  model.dispose();
  return { topology, inputShape: [28, 28, 1], numClasses: 10 };
}

describeEvaluatorContract('trainer-tfjs', {
  // 300 digits, one epoch: each evaluation is a short-lived training process.
  create: () => tfjsTrainer({ dataset: mnistDataset({ train: 200, validation: 50, test: 50 }), epochs: 1, batchSize: 50, workers: 2 }),
  valid: [spec(10)],
  // Five outputs for ten classes.
  invalid: [spec(5)],
  concurrency: 2,
  timeoutMs: 180_000,
});
