/**
 * The paper's seed network in this space's language: a 1x1 convolution to one channel with
 * ReLU, flatten, and a dense layer to the classes (softmax, the tfjs idiom for a classifier).
 * It reads the input shape from its arguments, so it fits any [height, width, channels] input.
 */
export const SEED_PROGRAM = `function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: 1, kernelSize: 1, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}
`;
