import * as tf from '@tensorflow/tfjs';
import { fail, Rng, type Artifact, type Failure, type Metrics, type Result } from '@llmatic/core';
import type { DataSplit, DatasetSplits } from '../data/dataset.js';
import { permutation } from '../data/shuffle.js';
import type { TfjsModelSpec } from './model-spec.js';
import type { TrainSettings } from './train-settings.js';
import { modelToArtifacts } from './weights-artifacts.js';

export interface TrainData {
  inputShape: readonly [number, number, number];
  numClasses: number;
  splits: DatasetSplits;
}

export interface TrainHooks {
  log?: (message: string) => void;
  /** Absolute time (ms since epoch) after which training stops with a 'timeout' failure. */
  deadline?: number;
  /** Skip saving weights (benchmarks). */
  skipArtifacts?: boolean;
}

export type TrainResult = Result<{ fitness: number; metrics: Metrics; artifacts: Artifact[] }>;

/**
 * Rebuilds the network from its topology, trains it with SGD (+momentum) or Adam on
 * cross-entropy, and scores it on the validation and test splits. Runs on whatever tfjs backend is
 * active. Untrainable networks come back as typed failures, never as exceptions.
 */
export async function trainModel(spec: TfjsModelSpec, data: TrainData, settings: TrainSettings, hooks: TrainHooks = {}): Promise<TrainResult> {
  let model: tf.LayersModel;
  try {
    const topology = typeof spec.topology === 'string' ? (JSON.parse(spec.topology) as unknown) : spec.topology;
    model = await withSeededMathRandom(settings.seed, () =>
      tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] }));
  } catch (error) {
    return fail('compile', `The topology does not rebuild with tf.models.modelFromJSON: ${message(error)}`);
  }
  try {
    const shapeProblem = checkShapes(model, spec, data);
    if (shapeProblem) return { ok: false, failure: shapeProblem };
    return await trainAndScore(model, data, settings, hooks);
  } finally {
    model.dispose();
  }
}

/**
 * Runs `build` with Math.random replaced by a stream seeded from `seed`: tfjs initialisers without
 * their own seed draw their seed from Math.random, so the initial weights become reproducible.
 */
async function withSeededMathRandom<T>(seed: number, build: () => Promise<T>): Promise<T> {
  const original = Math.random;
  const rng = Rng.derive(seed, 'trainer-tfjs', 'init');
  Math.random = () => rng.float();
  try {
    return await build();
  } finally {
    Math.random = original;
  }
}

function checkShapes(model: tf.LayersModel, spec: TfjsModelSpec, data: TrainData): Failure | null {
  const expectedInput = [null, ...data.inputShape];
  if (model.inputs.length !== 1 || !sameShape(model.inputs[0]!.shape, expectedInput)) {
    return { reason: 'compile', message: `The model's input is ${describe(model.inputs.map((i) => i.shape))}, but the dataset's images are [batch, ${data.inputShape.join(', ')}].` };
  }
  if (spec.numClasses !== data.numClasses) {
    return { reason: 'output-shape', message: `The model was built for ${spec.numClasses} classes, the dataset has ${data.numClasses}.` };
  }
  if (model.outputs.length !== 1 || !sameShape(model.outputs[0]!.shape, [null, data.numClasses])) {
    return { reason: 'output-shape', message: `The model's output is ${describe(model.outputs.map((o) => o.shape))}, expected [batch, ${data.numClasses}] (one score per class).` };
  }
  return null;
}

async function trainAndScore(model: tf.LayersModel, data: TrainData, settings: TrainSettings, hooks: TrainHooks): Promise<TrainResult> {
  const step = createTrainStep(model, settings);
  const train = data.splits.train;
  const count = train.labels.length;
  const pixels = data.inputShape[0] * data.inputShape[1] * data.inputShape[2];

  let trainSeconds = 0;
  let lastEpochLoss = NaN;
  let epochs = 0;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = permutation(count, settings.seed * 100_003 + epoch);
      const started = performance.now();
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start < count; start += settings.batchSize) {
        const batch = order.subarray(start, Math.min(count, start + settings.batchSize));
        const loss = tf.tidy(() => {
          const { x, y } = batchTensors(train, batch, pixels, data.inputShape, data.numClasses);
          return step.run(x, y);
        });
        if (!Number.isFinite(loss)) {
          return fail('non-finite-loss', `The training loss became ${loss} at epoch ${epoch + 1}, batch ${batches + 1} (learning rate ${settings.learningRate}, ${settings.optimizer}); the network diverges with these settings.`);
        }
        lossSum += loss;
        batches++;
        if (hooks.deadline !== undefined && Date.now() > hooks.deadline) {
          return fail('timeout', `Training did not finish in time: stopped at epoch ${epoch + 1}, batch ${batches} of ${Math.ceil(count / settings.batchSize)}.`);
        }
      }
      trainSeconds += (performance.now() - started) / 1000;
      lastEpochLoss = lossSum / batches;
      epochs = epoch + 1;
      hooks.log?.(`epoch ${epochs}/${settings.epochs}: loss ${lastEpochLoss.toFixed(4)}, ${(count / ((performance.now() - started) / 1000)).toFixed(0)} images/s`);
    }
  } finally {
    step.dispose();
  }

  const valAccuracy = accuracy(model, data.splits.validation, pixels, data.inputShape);
  const testAccuracy = accuracy(model, data.splits.test, pixels, data.inputShape);
  const metrics: Metrics = {
    valAccuracy,
    testAccuracy,
    trainLoss: lastEpochLoss,
    epochs,
    trainSeconds,
    imagesPerSecond: trainSeconds > 0 ? (count * epochs) / trainSeconds : 0,
    params: model.countParams(),
  };
  const artifacts = hooks.skipArtifacts ? [] : await modelToArtifacts(model);
  return { ok: true, fitness: settings.fitness === 'test' ? testAccuracy : valAccuracy, metrics, artifacts };
}

export interface TrainStep {
  /** One optimiser step on a batch (images, one-hot labels); returns the batch's mean loss. */
  run(x: tf.Tensor, y: tf.Tensor): number;
  dispose(): void;
}

/**
 * The training step used for every network: cross-entropy (on the logits, or on the outputs when
 * the network ends in a softmax), gradients of all trainable weights, one optimiser update.
 * Layers run in training mode (dropout active, batch-norm on batch statistics).
 */
export function createTrainStep(model: tf.LayersModel, settings: Pick<TrainSettings, 'optimizer' | 'learningRate' | 'momentum'>): TrainStep {
  const probabilities = outputsProbabilities(model);
  const optimizer = makeOptimizer(settings);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const lossOf = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => {
    const out = model.apply(x, { training: true }) as tf.Tensor;
    return probabilities ? crossEntropyOfProbabilities(y, out) : (tf.losses.softmaxCrossEntropy(y, out) as tf.Scalar);
  };
  return {
    run: (x, y) => tf.tidy(() => {
      const cost = optimizer.minimize(() => lossOf(x, y), true, variables);
      return cost ? cost.dataSync()[0]! : NaN;
    }),
    dispose: () => optimizer.dispose(),
  };
}

function makeOptimizer(settings: Pick<TrainSettings, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  if (settings.optimizer === 'adam') return tf.train.adam(settings.learningRate);
  return settings.momentum > 0 ? tf.train.momentum(settings.learningRate, settings.momentum) : tf.train.sgd(settings.learningRate);
}

/** One batch as tensors: images [n, h, w, c] and one-hot labels [n, classes]. */
function batchTensors(
  split: DataSplit, indices: Int32Array, pixels: number, inputShape: readonly number[], numClasses: number,
): { x: tf.Tensor; y: tf.Tensor } {
  const n = indices.length;
  // A fresh array per batch: the cpu backend keeps a reference to the data it is given.
  const images = new Float32Array(n * pixels);
  const oneHot = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    const from = indices[i]!;
    images.set(split.images.subarray(from * pixels, (from + 1) * pixels), i * pixels);
    oneHot[i * numClasses + split.labels[from]!] = 1;
  }
  return { x: tf.tensor(images, [n, ...inputShape]), y: tf.tensor2d(oneHot, [n, numClasses]) };
}

/** Fraction of a split classified correctly (inference mode: no dropout, batch-norm moving stats). */
export function accuracy(model: tf.LayersModel, split: DataSplit, pixels: number, inputShape: readonly number[], chunk = 256): number {
  const count = split.labels.length;
  let correct = 0;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const predicted = tf.tidy(() => {
      const x = tf.tensor(split.images.slice(start * pixels, (start + n) * pixels), [n, ...inputShape]);
      return (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    });
    for (let i = 0; i < n; i++) if (predicted[i] === split.labels[start + i]) correct++;
  }
  return correct / count;
}

/**
 * Whether the network ends in a softmax (then its outputs are probabilities and the loss takes
 * their log) rather than raw logits (the loss applies the softmax itself).
 */
export function outputsProbabilities(model: tf.LayersModel): boolean {
  const layer = model.outputs[0]!.sourceLayer;
  const className = layer.getClassName();
  if (className === 'Softmax') return true;
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return activation === 'softmax';
}

function crossEntropyOfProbabilities(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) as tf.Scalar;
}

function sameShape(actual: readonly (number | null)[], expected: readonly (number | null)[]): boolean {
  return actual.length === expected.length && actual.every((d, i) => d === expected[i]);
}

function describe(shapes: ReadonlyArray<readonly (number | null)[]>): string {
  return shapes.map((s) => `[${s.map((d) => (d === null ? 'batch' : d)).join(', ')}]`).join(' and ');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
