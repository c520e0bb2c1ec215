// Programs used by several tests. Each is a real function, so a test can run it with the real
// TensorFlow.js and hand its source text (`toString()`) to the sandboxed compiler.
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;
export interface BuildArgs {
  inputShape: number[];
  numClasses: number;
}
export type BuildModel = (tf: Tf, args: BuildArgs) => TF.LayersModel | Promise<TF.LayersModel>;

/** Sequential programs and functional ones, covering every supported layer class. */
export const PROGRAMS: Record<string, BuildModel> = {
  seed: function buildModel(tf, { inputShape, numClasses }) {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape, filters: 1, kernelSize: 1, activation: 'relu' }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
    return model;
  },
  convStack: function buildModel(tf, { inputShape, numClasses }) {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape }));
    model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }));
    model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
    model.add(tf.layers.reLU());
    model.add(tf.layers.conv2d({ filters: 12, kernelSize: [3, 2], strides: 2, activation: 'elu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }));
    model.add(tf.layers.dropout({ rate: 0.25 }));
    model.add(tf.layers.flatten());
    model.add(
      tf.layers.dense({
        units: 32,
        activation: 'relu',
        kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }),
        kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }),
      }),
    );
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
    return model;
  },
  mobile: function buildModel(tf, { inputShape, numClasses }) {
    const input = tf.input({ shape: inputShape });
    let x = tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]] }).apply(input) as TF.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: 'relu6' }).apply(x) as TF.SymbolicTensor;
    x = tf.layers.separableConv2d({ filters: 16, kernelSize: 3, padding: 'same', dilationRate: 1 }).apply(x) as TF.SymbolicTensor;
    x = tf.layers.layerNormalization().apply(x) as TF.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: 0.1 }).apply(x) as TF.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({}).apply(x) as TF.SymbolicTensor;
    x = tf.layers.dense({ units: numClasses }).apply(x) as TF.SymbolicTensor;
    const output = tf.layers.softmax().apply(x) as TF.SymbolicTensor;
    return tf.model({ inputs: input, outputs: output });
  },
  residual: function buildModel(tf, { inputShape, numClasses }) {
    const input = tf.input({ shape: inputShape });
    let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as TF.SymbolicTensor;
    for (let i = 0; i < 2; i++) {
      const shortcut = x;
      let y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(x) as TF.SymbolicTensor;
      y = tf.layers.batchNormalization().apply(y) as TF.SymbolicTensor;
      y = tf.layers.activation({ activation: 'relu' }).apply(y) as TF.SymbolicTensor;
      y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(y) as TF.SymbolicTensor;
      x = tf.layers.add().apply([shortcut, y]) as TF.SymbolicTensor;
      x = tf.layers.reLU().apply(x) as TF.SymbolicTensor;
    }
    const pooled = tf.layers.globalMaxPooling2d({}).apply(x) as TF.SymbolicTensor;
    const output = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(pooled) as TF.SymbolicTensor;
    return tf.model({ inputs: input, outputs: output, name: 'resnet_tiny' });
  },
  inception: function buildModel(tf, { inputShape, numClasses }) {
    const input = tf.input({ shape: inputShape, name: 'image' });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'branch_a' }).apply(input) as TF.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', name: 'branch_b' }).apply(input) as TF.SymbolicTensor;
    const pooled = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(input) as TF.SymbolicTensor;
    const merged = tf.layers.concatenate({ axis: -1 }).apply([a, b, pooled]) as TF.SymbolicTensor;
    const reshaped = tf.layers.reshape({ targetShape: [merged.shape[1]! * merged.shape[2]!, merged.shape[3]!] }).apply(merged) as TF.SymbolicTensor;
    const flat = tf.layers.flatten().apply(reshaped) as TF.SymbolicTensor;
    const output = tf.layers.dense({ units: numClasses, activation: 'softmax', biasInitializer: 'ones' }).apply(flat) as TF.SymbolicTensor;
    return tf.model({ inputs: input, outputs: output });
  },
  kerasHabits: function buildModel(tf, { inputShape, numClasses }) {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 3, padding: 'same' }));
    model.add(tf.layers.batchNormalization({ axis: 3 }));
    model.add(tf.layers.layerNormalization({ axis: -1, epsilon: 1e-5 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: 'heUniform' }));
    model.add(tf.layers.batchNormalization({ axis: 1, center: false }));
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
    return model;
  },
  asyncWithHelpers: async function buildModel(tf, { inputShape, numClasses }) {
    const convBlock = (filters: number) => tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' });
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape })] });
    for (const filters of [4, 8]) {
      model.add(convBlock(filters));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    }
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  },
};

/** The source text the compiler receives for a program. */
export function sourceOf(program: BuildModel): string {
  return `${program.toString()}\n`;
}
