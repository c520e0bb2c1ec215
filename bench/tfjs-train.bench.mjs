// Training throughput of @llmatic/trainer-tfjs (built package): images/s for one epoch of batch-64
// SGD+momentum on real MNIST digits, per backend, single thread, for the paper's seed network and
// a reference convnet. Target: the reference convnet at >= 8,000 images/s on wasm (PyTorch 1.13 on
// one CPU thread: ~12,000; tfjs-wasm 4.22 with a naive Conv2DBackpropFilter: ~2,400; pure JS ~30).
// The machine may be shared: cpuImagesPerSecond divides by this process's CPU time instead of the
// wall clock, and loadAverage says how busy the machine was.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { mnistDataset, selectBackend, trainModel, trainSettingsSchema } from '@llmatic/trainer-tfjs';

const NETWORKS = {
  seed: () => [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 1, kernelSize: 1, activation: 'relu' }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10 }),
  ],
  referenceConvnet: () => [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10 }),
  ],
};

/** Training images per (backend, network): the pure-JS backend gets fewer so it ends in seconds. */
const IMAGES = { wasm: { seed: 8000, referenceConvnet: 8000 }, cpu: { seed: 2048, referenceConvnet: 256 } };
const TARGET_WASM_REFERENCE = 8000;

function spec(network) {
  const model = tf.sequential({ layers: NETWORKS[network]() });
  const topology = model.toJSON(null, false);
  model.dispose();
  return { topology, inputShape: [28, 28, 1], numClasses: 10 };
}

function subset(split, n) {
  return { images: split.images.subarray(0, n * 784), labels: split.labels.subarray(0, n) };
}

async function measure(splits, network, images) {
  const data = { inputShape: [28, 28, 1], numClasses: 10, splits: { ...splits, train: subset(splits.train, images) } };
  const settings = trainSettingsSchema.parse({ epochs: 1, batchSize: 64, learningRate: 0.01, momentum: 0.9 });
  // Warm-up on a few batches (JIT, kernel setup), then the measured epoch.
  const warm = { ...data, splits: { ...data.splits, train: subset(splits.train, 256), validation: subset(splits.validation, 64), test: subset(splits.test, 64) } };
  await trainModel(spec(network), warm, settings, { skipArtifacts: true });
  const cpuBefore = process.cpuUsage();
  const result = await trainModel(spec(network), data, settings, { skipArtifacts: true });
  const cpu = process.cpuUsage(cpuBefore);
  if (!result.ok) throw new Error(`${network}: ${result.failure.reason}: ${result.failure.message}`);
  const { imagesPerSecond, trainSeconds } = result.metrics;
  // CPU time covers the epoch plus the accuracy passes; subtract the latter's share by time ratio is
  // not possible, so the CPU figure is a lower bound of the CPU-time throughput.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    images,
    imagesPerSecond: Math.round(imagesPerSecond),
    trainSeconds: Number(trainSeconds.toFixed(3)),
    cpuImagesPerSecondLowerBound: Math.round(images / cpuSeconds),
  };
}

export default async function run() {
  const splits = await mnistDataset({ train: 8000, validation: 1000, test: 1000 }).load();
  const results = {};
  for (const backend of ['wasm', 'cpu']) {
    await selectBackend({ backend, wasmThreads: 1 });
    results[backend] = {};
    for (const network of Object.keys(NETWORKS)) {
      results[backend][network] = await measure(splits, network, IMAGES[backend][network]);
    }
  }
  const reference = results.wasm.referenceConvnet.imagesPerSecond;
  return {
    wasmReferenceConvnet: {
      value: reference,
      unit: 'images/s',
      target: { min: TARGET_WASM_REFERENCE },
      reference: 'PyTorch 1.13 CPU ~12,000; tfjs-wasm 4.22 naive Conv2DBackpropFilter ~2,400; pure JS ~30',
    },
    wasmSeed: { value: results.wasm.seed.imagesPerSecond, unit: 'images/s' },
    cpuReferenceConvnet: { value: results.cpu.referenceConvnet.imagesPerSecond, unit: 'images/s' },
    cpuSeed: { value: results.cpu.seed.imagesPerSecond, unit: 'images/s' },
    details: results,
    setup: 'MNIST 28x28x1, batch 64, SGD lr 0.01 momentum 0.9, one epoch after a 256-image warm-up, single thread',
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}
