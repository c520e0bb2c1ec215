import * as tf from '@tensorflow/tfjs';
import type { LayersModelSpec } from '../src/index.js';

/** A network's spec as `@llmatic/tfjs` compiles it: the Layers topology JSON plus shapes. */
export function specOf(inputShape: number[], layers: () => tf.layers.Layer[], numClasses = 10): LayersModelSpec {
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape }), ...layers()] });
  const topology = model.toJSON(null, false) as LayersModelSpec['topology'];
  model.dispose();
  return { topology, inputShape, numClasses };
}

/**
 * A small network: 3x3 conv with four filters + ReLU, flatten, dense. (The paper's seed network
 * has a single 1x1 filter: initialised negative, all its ReLUs are off for every image, its
 * kernel is singular and NASWOT gives it -Infinity, a typed failure here.)
 */
export const smallNet = () =>
  specOf([28, 28, 1], () => [tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }), tf.layers.flatten(), tf.layers.dense({ units: 10 })]);

/** A small convnet with three ReLU layers. */
export const convNet = () =>
  specOf([28, 28, 1], () => [
    tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 32, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ]);

/** No ReLU anywhere: NASWOT cannot score it. */
export const linearNet = () => specOf([28, 28, 1], () => [tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax' })]);
