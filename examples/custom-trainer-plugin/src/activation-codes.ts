import * as tf from '@tensorflow/tfjs';

/** Activations whose output is a ReLU's: the units NASWOT reads (Mellor et al. 2021, section 3). */
const RELU_ACTIVATIONS = new Set(['relu', 'relu6']);

/** Layers whose output is post-ReLU: a `relu` activation in their config, or a ReLU layer. */
export function reluLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => {
    if (layer.getClassName() === 'ReLU') return true;
    const activation = (layer.getConfig() as { activation?: unknown }).activation;
    return typeof activation === 'string' && RELU_ACTIVATIONS.has(activation);
  });
}

/**
 * The NASWOT kernel of a minibatch: `K[i][j]` = the number of ReLU units on which images i and j
 * agree (both active or both inactive), i.e. `N_A - hamming(c_i, c_j)` for the binary activation
 * codes `c`. Accumulated layer by layer as `C C^T + (1 - C)(1 - C)^T`, as the authors' code does.
 * Returns the kernel (row-major, size x size) and the number of units N_A.
 */
export function naswotKernel(model: tf.LayersModel, layers: readonly tf.layers.Layer[], images: tf.Tensor): { kernel: Float32Array; units: number } {
  const outputs = layers.map((layer) => layer.output as tf.SymbolicTensor);
  const probe = tf.model({ inputs: model.inputs, outputs });
  return tf.tidy(() => {
    const predicted = probe.predict(images);
    const activations = Array.isArray(predicted) ? predicted : [predicted];
    const size = images.shape[0]!;
    let kernel = tf.zeros([size, size]);
    let units = 0;
    for (const activation of activations) {
      const codes = activation.reshape([size, -1]).greater(0).toFloat();
      const off = tf.sub(1, codes);
      kernel = kernel.add(tf.matMul(codes, codes, false, true)).add(tf.matMul(off, off, false, true));
      units += codes.shape[1]!;
    }
    return { kernel: kernel.dataSync() as Float32Array, units };
  });
}
