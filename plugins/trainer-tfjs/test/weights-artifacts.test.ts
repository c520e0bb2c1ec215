import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createTrainStep, loadTrainedModel, modelToArtifacts } from '@llmatic/trainer-tfjs';

describe('weights artifacts', () => {
  it('model.json + weights.bin load back with tf.loadLayersModel and predict exactly the same outputs', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 3, kernelSize: 3, activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    const x = tf.randomNormal([5, 8, 8, 2], 0, 1, 'float32', 3);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0], 'int32'), 4).toFloat();
    const step = createTrainStep(model, { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 });
    step.run(x, y); // trained weights and batch-norm statistics differ from the initial ones
    step.dispose();
    const artifacts = await modelToArtifacts(model);
    expect(artifacts.map((a) => a.name)).toEqual(['model.json', 'weights.bin']);
    const manifest = JSON.parse(new TextDecoder().decode(artifacts[0]!.data)) as { weightsManifest: Array<{ paths: string[] }> };
    expect(manifest.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    const loaded = await loadTrainedModel(artifacts);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const actual = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(actual)).toEqual(Array.from(expected));
    await expect(loadTrainedModel(artifacts.slice(0, 1))).rejects.toThrow(/needs the artifacts model.json and weights.bin/);
  });
});
