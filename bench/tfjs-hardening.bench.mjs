// Issue 9 (hardening) figures of the tfjs space, against the BUILT package:
// - the cost model's figures for the seed and for the issue's "cheap on paper, ruinous in
//   training" networks (activation MB per example, training memory at batch 64, training
//   operations per example), and whether the default caps refuse each;
// - how the cost model's training operations relate to time: one epoch of 128 synthetic images
//   per network on the wasm backend, images/s and the operations per second that implies;
// - the validator fuzz: how many arbitrary JSON values and mutated real topologies went through
//   validateTopology, how each ended, and that none threw or hit the validator's own fault path.
import fc from 'fast-check';
import { SEED_PROGRAM, tfjsCompiler, validateTopology } from '@llmatic/tfjs';
import { inMemoryDataset, tfjsTrainer } from '@llmatic/trainer-tfjs';

const BASE = { inputShape: [32, 32, 3], numClasses: 10 };
const FUZZ_RUNS = 5_000;
const MB = 1024 * 1024;

/** A classifier head after `body`, which turns `input` into `x`. */
function program(body) {
  return `function buildModel(tf, { inputShape, numClasses }) {
  const input = tf.input({ shape: inputShape });
  let x = input;
  ${body}
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const output = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(x);
  return tf.model({ inputs: input, outputs: output });
}`;
}

const NETWORKS = {
  seed: SEED_PROGRAM,
  zeroPadding3000: program('x = tf.layers.zeroPadding2d({ padding: 3000 }).apply(x);'),
  threeConcatsOf64: program(`for (let r = 0; r < 3; r++) {
    const copies = [];
    for (let i = 0; i < 64; i++) copies.push(tf.layers.reLU().apply(x));
    x = tf.layers.concatenate({ axis: -1 }).apply(copies);
  }`),
  pool200Window16: program(
    "for (let i = 0; i < 200; i++) x = tf.layers.maxPooling2d({ poolSize: 16, strides: 1, padding: 'same' }).apply(x);",
  ),
  conv64x3: program("for (let i = 0; i < 3; i++) x = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);"),
};

const round = (x, digits = 3) => Number(x.toPrecision(digits));

async function costFigures() {
  const measuring = tfjsCompiler({ ...BASE, maxActivationMb: 1e12, maxTrainingMemoryMb: 1e15, maxTrainingFlops: 1e30, maxDimension: 2 ** 40 });
  const defaults = tfjsCompiler(BASE);
  const figures = {};
  for (const [name, code] of Object.entries(NETWORKS)) {
    const measured = await measuring.compile(code);
    if (!measured.ok) throw new Error(`${name} does not compile: ${measured.failure.message}`);
    const verdict = await defaults.compile(code);
    const { cost, params, flops } = measured.model;
    figures[name] = {
      params,
      nb201Flops: flops,
      activationMbPerExample: { value: round(cost.activationBytes / MB), unit: 'MB' },
      trainingMemoryMbAtBatch64: { value: round(cost.trainingMemoryBytes / MB), unit: 'MB' },
      trainingGflopsPerExample: { value: round(cost.trainingFlops / 1e9), unit: 'GFLOP' },
      defaultCaps: verdict.ok ? 'accepted' : `${verdict.failure.reason}: ${verdict.failure.message.slice(0, 160)}`,
    };
  }
  return figures;
}

const HOSTILE = ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf', 'a/../../x', '', 'InputLayer', 'Dense'];

function pathsOf(value, prefix = []) {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, i) => pathsOf(item, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [prefix, ...Object.keys(value).flatMap((key) => pathsOf(value[key], [...prefix, key]))];
  return [prefix];
}

function put(target, key, value) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The same mutations as plugins/tfjs/test/validate-fuzz.test.ts: replace, delete, rename or add at a random node. */
function mutate(original, mutations) {
  let root = structuredClone(original);
  for (const { at, kind, key: newKey, value } of mutations) {
    const paths = pathsOf(root);
    const path = paths[at % paths.length];
    if (path.length === 0) {
      root = value;
      continue;
    }
    const parent = path.slice(0, -1).reduce((node, key) => node[key], root);
    const key = path.at(-1);
    if (kind === 'replace') put(parent, key, value);
    else if (kind === 'delete') Array.isArray(parent) ? parent.splice(key, 1) : delete parent[key];
    else if (kind === 'rename' && !Array.isArray(parent)) {
      const moved = parent[key];
      delete parent[key];
      put(parent, newKey, moved);
    } else if (!Array.isArray(parent)) put(parent, newKey, value);
  }
  return JSON.parse(JSON.stringify(root));
}

function tally() {
  return { runs: 0, accepted: 0, refused: {}, threw: 0, validatorFault: 0 };
}

function judge(counts, input) {
  counts.runs += 1;
  let result;
  try {
    result = validateTopology(input, { ...BASE, maxParams: 1e6, maxFlops: 1e9, maxLayers: 50 });
  } catch {
    counts.threw += 1;
    return;
  }
  if (result.ok) counts.accepted += 1;
  else {
    counts.refused[result.failure.reason] = (counts.refused[result.failure.reason] ?? 0) + 1;
    if (/could not be checked/.test(result.failure.message)) counts.validatorFault += 1;
  }
}

async function fuzzCounts() {
  const compiler = tfjsCompiler(BASE);
  const seed = await compiler.compile(SEED_PROGRAM);
  const conv = await compiler.compile(NETWORKS.conv64x3);
  if (!seed.ok || !conv.ok) throw new Error('the fuzz seeds do not compile');
  const topologies = [seed.model.topology, conv.model.topology];

  const arbitrary = tally();
  let started = performance.now();
  fc.assert(fc.property(fc.json({ maxDepth: 6 }), (text) => judge(arbitrary, JSON.parse(text))), { numRuns: FUZZ_RUNS, seed: 9 });
  arbitrary.microsecondsPerInput = round(((performance.now() - started) * 1000) / arbitrary.runs);

  const replacement = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...HOSTILE), fc.constantFrom(2 ** 53 - 1, 2 ** 31, 1e308, -1, 0, 0.5));
  const mutation = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'delete', 'rename', 'add'),
    key: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 })),
    value: replacement,
  });
  const mutated = tally();
  started = performance.now();
  fc.assert(
    fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) =>
      judge(mutated, mutate(topologies[which % topologies.length], mutations))),
    { numRuns: FUZZ_RUNS, seed: 9 },
  );
  mutated.microsecondsPerInput = round(((performance.now() - started) * 1000) / mutated.runs);
  if (arbitrary.threw + mutated.threw + arbitrary.validatorFault + mutated.validatorFault > 0) {
    throw new Error(`validateTopology threw or faulted: ${JSON.stringify({ arbitrary, mutated })}`);
  }
  return { arbitraryJson: arbitrary, mutatedTopologies: mutated };
}

/** Networks whose measured speed shows how far the operation count tracks training time. */
const CALIBRATION = {
  seed: SEED_PROGRAM,
  conv64x3: NETWORKS.conv64x3,
  pool20Window16: program(
    "for (let i = 0; i < 20; i++) x = tf.layers.maxPooling2d({ poolSize: 16, strides: 1, padding: 'same' }).apply(x);",
  ),
  zeroPadding100: program('x = tf.layers.zeroPadding2d({ padding: 100 }).apply(x);'),
};

async function calibration() {
  const n = 128;
  const images = new Float32Array(n * 32 * 32 * 3).map((_, i) => (i % 251) / 251);
  const labels = new Uint8Array(n).map((_, i) => i % 10);
  const split = { images, labels };
  const dataset = inMemoryDataset({ name: 'synthetic', inputShape: [32, 32, 3], numClasses: 10, splits: { train: split, validation: split, test: split } });
  const trainer = tfjsTrainer({ dataset, epochs: 1, batchSize: 64, workers: 1, backend: 'wasm', timeoutMs: 600_000 });
  const compiler = tfjsCompiler(BASE);
  const measured = {};
  try {
    for (const [name, code] of Object.entries(CALIBRATION)) {
      const compiled = await compiler.compile(code);
      if (!compiled.ok) throw new Error(`${name} does not compile: ${compiled.failure.message}`);
      const result = await trainer.evaluate(compiled.model, { candidateId: name, log: () => {} });
      if (!result.ok) throw new Error(`${name} does not train: ${result.failure.message}`);
      const imagesPerSecond = result.metrics.imagesPerSecond;
      measured[name] = {
        trainingGflopsPerExample: round(compiled.model.cost.trainingFlops / 1e9),
        imagesPerSecond: { value: round(imagesPerSecond), unit: 'images/s' },
        impliedGflopsPerSecond: { value: round((compiled.model.cost.trainingFlops * imagesPerSecond) / 1e9), unit: 'GFLOP/s' },
      };
    }
  } finally {
    await trainer.close();
  }
  return measured;
}

export default async function run() {
  return { cost: await costFigures(), validatorFuzz: await fuzzCounts(), calibrationWasm: await calibration() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
