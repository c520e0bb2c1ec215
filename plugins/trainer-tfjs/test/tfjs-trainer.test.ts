import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { Evaluation } from '@llmatic/core';
import { accuracy, loadTrainedModel, mnistDataset, tfjsTrainer, type TfjsModelSpec } from '@llmatic/trainer-tfjs';

/** A model spec as @llmatic/tfjs produces it: the Layers topology JSON plus shapes. */
function spec(layers: () => tf.layers.Layer[], numClasses = 10): TfjsModelSpec {
  const model = tf.sequential({ layers: layers() });
  const topology = model.toJSON(null, false);
  model.dispose();
  return { topology, inputShape: [28, 28, 1], numClasses };
}

/** The paper's seed network, for MNIST: conv 1 filter 1x1 + ReLU, flatten, dense 10. */
const seedNet = () => spec(() => [
  tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 1, kernelSize: 1, activation: 'relu' }),
  tf.layers.flatten(),
  tf.layers.dense({ units: 10 }),
]);

const smallConvNet = () => spec(() => [
  tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
  tf.layers.maxPooling2d({ poolSize: 2 }),
  tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
  tf.layers.flatten(),
  tf.layers.dense({ units: 10, activation: 'softmax' }),
]);

// Seed 0 (the default) initialises the 1-filter seed net with a positive filter; with a negative
// one its ReLU outputs only zeros and it cannot learn, whatever the trainer does.
const data = mnistDataset({ train: 600, validation: 200, test: 200 });
const context = (candidateId: string) => ({ candidateId });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tfjsTrainer on real MNIST digits', () => {
  const trainer = tfjsTrainer({ dataset: data, epochs: 2, batchSize: 32, learningRate: 0.05, momentum: 0.9, workers: 2 });
  let seed: Evaluation;
  let conv: Evaluation;

  beforeAll(async () => {
    const [a, b] = await Promise.all([trainer.evaluate(seedNet(), context('seed')), trainer.evaluate(smallConvNet(), context('conv'))]);
    if (!a.ok) throw new Error(`seed net failed: ${a.failure.reason}: ${a.failure.message}`);
    if (!b.ok) throw new Error(`conv net failed: ${b.failure.reason}: ${b.failure.message}`);
    seed = a;
    conv = b;
  }, 120_000);

  afterAll(async () => {
    await trainer.close();
  });

  it('raises validation accuracy well above chance (10%) for the seed net and a small convnet', () => {
    expect(seed.metrics.valAccuracy).toBeGreaterThan(0.5);
    expect(conv.metrics.valAccuracy).toBeGreaterThan(0.5);
    expect(seed.fitness).toBe(seed.metrics.valAccuracy);
    expect(seed.metrics.testAccuracy).toBeGreaterThan(0.5);
  });

  it('reports the metrics and the backend', () => {
    expect(seed.metrics).toMatchObject({ epochs: 2, params: 2 + 784 * 10 + 10 });
    expect(seed.metrics.trainLoss).toBeGreaterThan(0);
    expect(seed.metrics.trainLoss).toBeLessThan(2.3); // below the loss of uniform guessing, ln 10
    expect(seed.metrics.trainSeconds).toBeGreaterThan(0);
    expect(seed.metrics.imagesPerSecond).toBeCloseTo((600 * 2) / seed.metrics.trainSeconds!, 3);
    expect(seed.info).toEqual({ backend: 'wasm', dataset: 'mnist' });
  });

  it('returns the trained weights as model.json + weights.bin that load back and predict the same', async () => {
    expect(conv.artifacts?.map((a) => a.name)).toEqual(['model.json', 'weights.bin']);
    const model = await loadTrainedModel(conv.artifacts!);
    const { validation } = await data.load();
    // Same predictions as the trained network: the accuracy it was scored with is reproduced exactly.
    expect(accuracy(model, validation, 784, [28, 28, 1])).toBe(conv.metrics.valAccuracy);
    model.dispose();
  });
});

describe('tfjsTrainer failures', () => {
  it('reports NaN/Inf loss as non-finite-loss', async () => {
    // Stacked linear layers with a huge learning rate: the weights grow geometrically until the loss overflows.
    const deepLinear = spec(() => [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 32 }), tf.layers.dense({ units: 32 }), tf.layers.dense({ units: 10 })]);
    const trainer = tfjsTrainer({ dataset: data, epochs: 3, learningRate: 1000, momentum: 0.9, workers: 1 });
    const result = await trainer.evaluate(deepLinear, context('diverges'));
    await trainer.close();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.reason).toBe('non-finite-loss');
      expect(result.failure.message).toMatch(/loss became (NaN|Infinity|-Infinity) at epoch/);
    }
  }, 60_000);

  it('stops a training that runs past timeoutMs with a timeout failure', async () => {
    const trainer = tfjsTrainer({ dataset: data, epochs: 10_000, timeoutMs: 4_000, workers: 1 });
    const started = Date.now();
    const result = await trainer.evaluate(seedNet(), context('slow'));
    await trainer.close();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.reason).toBe('timeout');
    // Ten thousand epochs would take many minutes: the limit, not the work, ended it.
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('rejects a wrong output shape, a topology that does not rebuild and a malformed spec', async () => {
    const trainer = tfjsTrainer({ dataset: data, epochs: 1, workers: 2 });
    const wrongOutput = spec(() => [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 7 })]);
    const unknownLayer = { ...seedNet(), topology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'NoSuchLayer', config: {} }] } } };
    const [shape, rebuild, malformed] = await Promise.all([
      trainer.evaluate(wrongOutput, context('shape')),
      trainer.evaluate(unknownLayer, context('rebuild')),
      trainer.evaluate({ inputShape: [28, 28, 1], numClasses: 10 } as unknown as TfjsModelSpec, context('malformed')),
    ]);
    await trainer.close();
    expect(shape.ok ? null : shape.failure).toMatchObject({ reason: 'output-shape', message: expect.stringMatching(/\[batch, 7\], expected \[batch, 10\]/) });
    expect(rebuild.ok ? null : rebuild.failure).toMatchObject({ reason: 'compile', message: expect.stringMatching(/NoSuchLayer/) });
    expect(malformed.ok ? null : malformed.failure).toMatchObject({ reason: 'compile' });
  }, 60_000);

  it('rejects bad options with a message naming the option', () => {
    expect(() => tfjsTrainer({ dataset: data, epochs: 0 })).toThrow(/epochs/);
    expect(() => tfjsTrainer({ dataset: {} as never })).toThrow(/dataset must implement Dataset/);
  });
});

describe('tfjsTrainer isolation', () => {
  it('an out-of-memory training process fails its candidate with reason memory; the next evaluation still works', async () => {
    const starved = tfjsTrainer({ dataset: data, epochs: 1, memoryLimitMb: 24, workers: 1 });
    const result = await starved.evaluate(seedNet(), context('oom'));
    await starved.close();
    expect(result.ok ? null : result.failure).toMatchObject({ reason: 'memory', message: expect.stringMatching(/heap limit 24 MB.*(FATAL ERROR|out of memory)/) });
    const healthy = tfjsTrainer({ dataset: data, epochs: 1, batchSize: 32, learningRate: 0.05, workers: 1 });
    const next = await healthy.evaluate(seedNet(), context('after-oom'));
    await healthy.close();
    expect(next.ok).toBe(true);
  }, 60_000);
});
