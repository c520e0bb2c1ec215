/** The TensorFlow.js space keeps the search space contract of @llmatic/testkit. */
import { describeSpaceContract } from '@llmatic/testkit';
import { tfjsSpace } from '@llmatic/tfjs';

const MAX_FLOPS = 5e8;

/** A functional network with a residual connection, as LLMs write them. */
const RESIDUAL = `function buildModel(tf, { inputShape, numClasses }) {
  const input = tf.input({ shape: inputShape });
  const stem = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  const branch = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(stem);
  const merged = tf.layers.add().apply([stem, branch]);
  const pooled = tf.layers.globalAveragePooling2d({}).apply(merged);
  const output = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(pooled);
  return tf.model({ inputs: input, outputs: output });
}`;

describeSpaceContract('tfjs', {
  // MNIST-shaped; the FLOPs bounds match the compiler's cap, so no compiled model can leave them.
  space: () => tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10, maxFlops: MAX_FLOPS, descriptorBounds: { flops: [0, MAX_FLOPS] } }),
  programs: [RESIDUAL],
  invalidPrograms: [
    'function buildModel(tf, { inputShape, numClasses }) { return tf.sequential( }',
    "function buildModel(tf) { return require('fs'); }",
    'I would rather not write a network today.',
  ],
  samples: 3,
  timeoutMs: 120_000,
});
