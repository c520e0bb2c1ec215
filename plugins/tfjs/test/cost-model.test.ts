// Issue 9, class 1: cheap on paper, ruinous in training. The cost model counts every layer
// (pooling, padding, merges, normalisation included), bounds every dimension, and refuses with
// `resource-cap` naming the figure, the cap and the option that raises it.
import { describe, expect, it } from 'vitest';
import { Rng } from '@llmatic/core';
import { checkGenome, parseGenome, SEED_PROGRAM, tfjsCompiler, tfjsOperators, validateTopology, type TfjsModelTopology } from '@llmatic/tfjs';

const base = { inputShape: [32, 32, 3], numClasses: 10 };
const compiler = tfjsCompiler(base);

async function compiled(code: string, options: Partial<Parameters<typeof tfjsCompiler>[0]> = {}) {
  return (Object.keys(options).length === 0 ? compiler : tfjsCompiler({ ...base, ...options })).compile(code);
}

/** A classifier head after `body`, which turns `input` into `x`. */
function program(body: string): string {
  return `function buildModel(tf, { inputShape, numClasses }) {
  const input = tf.input({ shape: inputShape });
  let x = input;
  ${body}
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const output = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(x);
  return tf.model({ inputs: input, outputs: output });
}`;
}

describe('the cost model', () => {
  it("gives the seed's figures: activations per example, training memory at batch 64, training operations", async () => {
    const result = await compiled(SEED_PROGRAM);
    if (!result.ok) throw new Error(result.failure.message);
    // Kept values: input 3072; conv 1024 outputs + 1024 pre-ReLU values; dense 10 + 10 pre-softmax; flatten is a view.
    const values = 3072 + 2 * 1024 + 2 * 10;
    expect(result.model.cost.activationBytes).toBe(4 * values);
    // Activations and their gradients for 64 examples, weights with gradients and two optimiser slots.
    expect(result.model.cost.trainingMemoryBytes).toBe(4 * (2 * values * 64 + 4 * 10_254));
    expect(result.model.cost.batchSize).toBe(64);
    // conv: 4096 FLOPs + 1024 ReLU forward, 2 x 3072 MACs + 1024 bias + 1024 ReLU backward;
    // dense: 10,250 + 50 softmax forward, 2 x 10,240 + 10 + 50 backward; update 4 x 10,254 / 64.
    const convOps = 4096 + 1024 + (2 * 3072 + 1024 + 1024);
    const denseOps = 10_250 + 50 + (2 * 10_240 + 10 + 50);
    expect(result.model.cost.trainingFlops).toBeCloseTo(convOps + denseOps + (4 * 10_254) / 64, 6);
  });

  it('refuses a 40-parameter model whose huge zero padding holds gigabytes of activations', async () => {
    const result = await compiled(program(`x = tf.layers.zeroPadding2d({ padding: 3000 }).apply(x);`));
    expect(result).toMatchObject({
      ok: false,
      failure: {
        reason: 'resource-cap',
        message: expect.stringMatching(
          /keeps [\d,]+ MB of activations per example \(largest layer 'zeroPadding2d_1' \(ZeroPadding2D\)\), over the cap of 64\.0 MB; raise maxActivationMb/,
        ),
      },
    });
  });

  it('refuses three concatenations of 64 inputs each (activation memory per example)', async () => {
    const result = await compiled(
      program(`for (let round = 0; round < 3; round++) {
        const copies = [];
        for (let i = 0; i < 64; i++) copies.push(tf.layers.reLU().apply(x));
        x = tf.layers.concatenate({ axis: -1 }).apply(copies);
      }`),
    );
    expect(result).toMatchObject({ ok: false, failure: { reason: 'resource-cap', message: expect.stringMatching(/Concatenate.*maxActivationMb/) } });
  });

  it('counts zero-parameter layers: a stack of large-window poolings costs what it scans', async () => {
    const stack = program(`for (let i = 0; i < 200; i++) x = tf.layers.maxPooling2d({ poolSize: 16, strides: 1, padding: 'same' }).apply(x);`);
    const accepted = await compiled(stack);
    if (!accepted.ok) throw new Error(accepted.failure.message);
    expect(accepted.model.flops).toBeLessThan(100); // the NAS-Bench-201 convention sees almost nothing
    // Each pooling scans a 16x16 window for each of the 3072 outputs, forward and backward.
    expect(accepted.model.cost.trainingFlops).toBeGreaterThanOrEqual(200 * 3072 * 256 * 2);
    // The default training cap follows maxFlops (3x): a budget of 1e8 forward FLOPs allows 3e8.
    const capped = await compiled(stack, { maxFlops: 1e8 });
    expect(capped).toMatchObject({
      ok: false,
      failure: {
        reason: 'resource-cap',
        message: expect.stringMatching(/costs 3\.\d+e\+8 operations per example.*MaxPooling2D.*over the cap of 3\.000e\+8; raise maxTrainingFlops/),
      },
    });
    expect(await compiled(stack, { maxFlops: 1e8, maxTrainingFlops: 1e9 })).toMatchObject({ ok: true });
  });

  it('estimates training memory at the configured batch size', async () => {
    const wide = program(`x = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);`);
    const small = await compiled(wide, { trainingBatchSize: 64 });
    expect(small.ok).toBe(true);
    const huge = await compiled(wide, { trainingBatchSize: 8192 });
    expect(huge).toMatchObject({
      ok: false,
      failure: { reason: 'resource-cap', message: expect.stringMatching(/at batch size 8192 needs an estimated [\d,]+ MB .*over the cap of 4,096 MB; raise maxTrainingMemoryMb/) },
    });
  });

  it('bounds every dimension: a forged padding of 2^53 - 1 is refused, not measured', async () => {
    const seed = await compiled(SEED_PROGRAM);
    if (!seed.ok) throw new Error(seed.failure.message);
    const forged = structuredClone(seed.model.topology) as TfjsModelTopology;
    const conv = forged.config.layers[1]!;
    forged.config.layers.splice(1, 0, {
      name: 'pad',
      class_name: 'ZeroPadding2D',
      config: { name: 'pad', trainable: true, data_format: 'channels_last', padding: [[Number.MAX_SAFE_INTEGER, 0], [0, 0]] },
      inbound_nodes: [[[forged.config.layers[0]!.name, 0, 0, {}]]],
    });
    conv.inbound_nodes = [[['pad', 0, 0, {}]]];
    const result = validateTopology(forged, { ...base, maxParams: 1e9, maxFlops: 1e30, maxLayers: 10 });
    expect(result).toMatchObject({
      ok: false,
      failure: { reason: 'resource-cap', message: expect.stringMatching(/layer 'pad' \(ZeroPadding2D\) outputs \[batch, 9007199254741024, 32, 3\]: dimension 9007199254741024 is over the cap of 1048576 \(maxDimension\)/) },
    });
  });

  it('holds for the LLM-free operators too: genomes drawn under tight cost caps compile', async () => {
    const tight = { ...base, maxTrainingFlops: 3e6, maxActivationMb: 0.1 };
    const operators = tfjsOperators(tight);
    const programs = Array.from({ length: 12 }, (_, i) => operators.random(Rng.derive(3, 'tight', i)));
    const results = await Promise.all(programs.map((code) => tfjsCompiler(tight).compile(code)));
    expect(results.map((result) => (result.ok ? 'ok' : result.failure.message))).toEqual(programs.map(() => 'ok'));
    // And the check refuses what the compiler would refuse.
    const wide = parseGenome('conv64k5s1 conv64k5s1 flatten');
    if (!wide.ok) throw new Error(wide.problem);
    expect(checkGenome(wide.genome, { ...tight, maxParams: 1e9, maxFlops: 1e12, maxLayers: 50 })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/maxActivationMb|maxTrainingFlops/),
    });
  });

  it('takes its caps from the options and validates them', () => {
    expect(() => tfjsCompiler({ ...base, trainingBatchSize: 0 })).toThrow(/trainingBatchSize/);
    expect(() => tfjsCompiler({ ...base, maxActivationMb: -1 })).toThrow(/maxActivationMb/);
    expect(() => tfjsCompiler({ ...base, maxTrainingFlops: Number.POSITIVE_INFINITY })).toThrow(/maxTrainingFlops/);
    expect(() => tfjsCompiler({ ...base, memoryMb: 512, maxRssMb: 256 })).toThrow(/maxRssMb \(256\) must be larger than memoryMb \(512\)/);
  });
});
