// Training throughput of @llmatic/trainer-tfjs (built package): images/s for one epoch of batch-64
// SGD+momentum on real MNIST digits, per backend, single thread, for the paper's seed network and
// a reference convnet. Target: the reference convnet at >= 8,000 images/s on wasm (PyTorch 1.13 on
// one CPU thread: ~12,000; tfjs-wasm 4.22 with a naive Conv2DBackpropFilter: ~2,400; pure JS ~30).
//
// The machine may be shared, so the wasm reference figure is the median of three one-epoch runs,
// and `stepProfile` times the training step alone: wall clock and process CPU time per step (CPU
// time counts V8's helper threads, such as the garbage collector's, so it can exceed the wall
// clock on an idle machine), and where the time goes, kernel by kernel. loadAverage says how busy
// the machine was.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createTrainStep, mnistDataset, selectBackend, trainModel, trainSettingsSchema } from '@llmatic/trainer-tfjs';

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
/** One-epoch runs per (backend, network); the median is reported. */
const RUNS = { wasm: { seed: 1, referenceConvnet: 3 }, cpu: { seed: 1, referenceConvnet: 1 } };
const TARGET_WASM_REFERENCE = 8000;
const BATCH = 64;

function spec(network) {
  const model = tf.sequential({ layers: NETWORKS[network]() });
  const topology = model.toJSON(null, false);
  model.dispose();
  return { topology, inputShape: [28, 28, 1], numClasses: 10 };
}

function subset(split, n) {
  return { images: split.images.subarray(0, n * 784), labels: split.labels.subarray(0, n) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(splits, network, images, runs) {
  const data = { inputShape: [28, 28, 1], numClasses: 10, splits: { ...splits, train: subset(splits.train, images) } };
  const settings = trainSettingsSchema.parse({ epochs: 1, batchSize: BATCH, learningRate: 0.01, momentum: 0.9 });
  // Warm-up on a few batches (JIT, wasm tier-up, kernel setup), then the measured epochs.
  const warm = { ...data, splits: { ...data.splits, train: subset(splits.train, 256), validation: subset(splits.validation, 64), test: subset(splits.test, 64) } };
  await trainModel(spec(network), warm, settings, { skipArtifacts: true });
  const rates = [];
  const cpuRates = [];
  let trainSeconds = 0;
  for (let run = 0; run < runs; run++) {
    const cpuBefore = process.cpuUsage();
    const result = await trainModel(spec(network), data, settings, { skipArtifacts: true });
    const cpu = process.cpuUsage(cpuBefore);
    if (!result.ok) throw new Error(`${network}: ${result.failure.reason}: ${result.failure.message}`);
    rates.push(result.metrics.imagesPerSecond);
    trainSeconds += result.metrics.trainSeconds;
    // CPU time covers the model build and the accuracy passes too: a lower bound of the training rate.
    cpuRates.push(images / ((cpu.user + cpu.system) / 1e6));
  }
  return {
    images,
    runs,
    imagesPerSecond: Math.round(median(rates)),
    imagesPerSecondRuns: rates.map(Math.round),
    trainSeconds: Number((trainSeconds / runs).toFixed(3)),
    cpuImagesPerSecondLowerBound: Math.round(median(cpuRates)),
  };
}

/** Replaces every kernel of the active backend by a timed wrapper; returns the undo. */
function timeKernels(times) {
  const backendName = tf.getBackend();
  const originals = tf.getKernelsForBackend(backendName);
  for (const config of originals) {
    const run = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const started = performance.now();
        const out = run(args);
        const first = Object.values(args.inputs)[0];
        const key = `${config.kernelName}${first ? ` ${first.shape.join('x')}` : ''}`;
        const entry = times.get(key) ?? { ms: 0, calls: 0 };
        entry.ms += performance.now() - started;
        entry.calls++;
        times.set(key, entry);
        return out;
      },
    });
  }
  return () => {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  };
}

/**
 * The reference convnet's training step alone (no batching, no accuracy passes): wall clock and
 * CPU time per step, then the same steps with every kernel timed.
 */
function profileSteps(splits, steps) {
  const model = tf.sequential({ layers: NETWORKS.referenceConvnet() });
  const trainStep = createTrainStep(model, { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9 });
  const batches = Math.floor(splits.train.labels.length / BATCH);
  const batch = (i) => {
    const at = (i % batches) * BATCH;
    const x = tf.tensor(splits.train.images.subarray(at * 784, (at + BATCH) * 784), [BATCH, 28, 28, 1]);
    const oneHot = new Float32Array(BATCH * 10);
    for (let j = 0; j < BATCH; j++) oneHot[j * 10 + splits.train.labels[at + j]] = 1;
    return { x, y: tf.tensor2d(oneHot, [BATCH, 10]) };
  };
  const runSteps = (count, offset) => {
    for (let i = 0; i < count; i++) tf.tidy(() => { const { x, y } = batch(offset + i); trainStep.run(x, y); });
  };
  try {
    runSteps(20, 0);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    runSteps(steps, 20);
    const wallMs = (performance.now() - started) / steps;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000 / steps;

    const times = new Map();
    const undo = timeKernels(times);
    let timedWallMs;
    try {
      const timedStart = performance.now();
      runSteps(steps, 20 + steps);
      timedWallMs = (performance.now() - timedStart) / steps;
    } finally {
      undo();
    }
    const perStep = [...times.entries()].map(([kernel, t]) => ({ kernel, ms: t.ms / steps, calls: t.calls / steps })).sort((a, b) => b.ms - a.ms);
    const kernelsMs = perStep.reduce((sum, k) => sum + k.ms, 0);
    const calls = perStep.reduce((sum, k) => sum + k.calls, 0);
    const round = (v) => Number(v.toFixed(3));
    return {
      steps,
      batch: BATCH,
      wallMsPerStep: round(wallMs),
      cpuMsPerStep: round(cpuMs),
      imagesPerSecondWall: Math.round((BATCH * 1000) / wallMs),
      imagesPerSecondCpu: Math.round((BATCH * 1000) / cpuMs),
      timed: {
        wallMsPerStep: round(timedWallMs),
        kernelsMsPerStep: round(kernelsMs),
        outsideKernelsMsPerStep: round(timedWallMs - kernelsMs),
        kernelCallsPerStep: Math.round(calls),
        topKernelsMsPerStep: Object.fromEntries(perStep.slice(0, 16).map((k) => [k.kernel, round(k.ms)])),
      },
    };
  } finally {
    trainStep.dispose();
    model.dispose();
  }
}

export default async function run() {
  const splits = await mnistDataset({ train: 8000, validation: 1000, test: 1000 }).load();
  const results = {};
  let stepProfile = null;
  for (const backend of ['wasm', 'cpu']) {
    await selectBackend({ backend, wasmThreads: 1 });
    results[backend] = {};
    for (const network of Object.keys(NETWORKS)) {
      results[backend][network] = await measure(splits, network, IMAGES[backend][network], RUNS[backend][network]);
    }
    if (backend === 'wasm') stepProfile = profileSteps(splits, 100);
  }
  const reference = results.wasm.referenceConvnet.imagesPerSecond;
  return {
    wasmReferenceConvnet: {
      value: reference,
      unit: 'images/s',
      target: { min: TARGET_WASM_REFERENCE },
      reference: 'PyTorch 1.13 CPU ~12,000; tfjs-wasm 4.22 naive Conv2DBackpropFilter ~2,400; pure JS ~30',
    },
    wasmReferenceConvnetStepCpu: { value: stepProfile.imagesPerSecondCpu, unit: 'images/s (per CPU-second, training step only)' },
    wasmSeed: { value: results.wasm.seed.imagesPerSecond, unit: 'images/s' },
    cpuReferenceConvnet: { value: results.cpu.referenceConvnet.imagesPerSecond, unit: 'images/s' },
    cpuSeed: { value: results.cpu.seed.imagesPerSecond, unit: 'images/s' },
    details: results,
    stepProfile: { network: 'referenceConvnet', backend: 'wasm', ...stepProfile },
    setup: 'MNIST 28x28x1, batch 64, SGD lr 0.01 momentum 0.9, one epoch after a 256-image warm-up (wasm reference: median of 3 epochs), single thread',
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}
