// Issue 9, class 6 (topology part): what tfjs cannot rebuild, or the trainer cannot train, is
// refused at compile time, before a training process is started for it.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_PROGRAM, tfjsCompiler, validateTopology, type TfjsModelTopology } from '@llmatic/tfjs';
import { LAYER_NAME, RESERVED_LAYER_NAMES } from '../src/topology/schema.js';

const limits = { inputShape: [8, 8, 3], numClasses: 4, maxParams: 1e6, maxFlops: 1e9, maxLayers: 50 };
const compiler = tfjsCompiler({ inputShape: limits.inputShape, numClasses: limits.numClasses });
let seed: TfjsModelTopology;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const result = await compiler.compile(SEED_PROGRAM);
  if (!result.ok) throw new Error(result.failure.message);
  seed = result.model.topology;
});

/** The seed with its conv layer renamed (and every reference to it). */
function renamed(name: string): TfjsModelTopology {
  const text = JSON.stringify(seed).replaceAll('"conv2d_1"', JSON.stringify(name));
  return JSON.parse(text) as TfjsModelTopology;
}

function namedConv(name: string): string {
  return `function buildModel(tf, { inputShape, numClasses }) {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape, filters: 2, kernelSize: 3, name: ${JSON.stringify(name)} }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: numClasses }));
    return model;
  }`;
}

describe('layer names tfjs cannot rebuild', () => {
  it.each(['constructor', 'hasOwnProperty', 'toString', 'valueOf'])('refuses %s, in the sandbox and in the validator', async (name) => {
    expect(await compiler.compile(namedConv(name))).toMatchObject({
      ok: false,
      failure: { reason: 'compile', message: expect.stringMatching(/reserved/) },
    });
    expect(validateTopology(renamed(name), limits)).toMatchObject({ ok: false, failure: { reason: 'compile', message: expect.stringMatching(/reserved/) } });
  });

  it.each(['a/../../x', '__proto__', '_x', '-a', 'x/', 'a//b', 'a..b', '.a'])('refuses the name %s', async (name) => {
    expect(await compiler.compile(namedConv(name))).toMatchObject({ ok: false, failure: { reason: 'compile', message: expect.stringMatching(/layer name/) } });
    expect(validateTopology(renamed(name), limits)).toMatchObject({ ok: false, failure: { reason: 'compile' } });
  });

  it('refuses duplicate names', () => {
    const forged = structuredClone(seed);
    forged.config.layers[2]!.name = 'conv2d_1';
    forged.config.layers[2]!.config.name = 'conv2d_1';
    expect(validateTopology(forged, limits)).toMatchObject({ ok: false, failure: { message: expect.stringMatching(/'conv2d_1' is used twice/) } });
  });

  it('every name it accepts, tfjs rebuilds and trains', async () => {
    // LAYER_NAME without its length lookahead, which fast-check cannot generate from.
    const names = fc
      .stringMatching(/^[A-Za-z0-9][A-Za-z0-9_]*(?:[.\-/][A-Za-z0-9_]+)*$/)
      .filter((name) => LAYER_NAME.test(name) && !RESERVED_LAYER_NAMES.has(name) && !['input_1', 'flatten_1', 'dense_1'].includes(name));
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        const topology = renamed(name);
        expect(validateTopology(topology, limits).ok).toBe(true);
        const model = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
        try {
          model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
          const history = await model.fit(tf.zeros([2, 8, 8, 3]), tf.oneHot([0, 1], 4), { epochs: 1, verbose: 0 });
          expect(Number.isFinite(history.history.loss?.[0] as number)).toBe(true);
        } finally {
          model.dispose();
        }
      }),
      { numRuns: 40, seed: 9 },
    );
  });
});

describe('dilated convolutions, which tfjs 4.22 cannot train', () => {
  it.each(['conv2d', 'depthwiseConv2d', 'separableConv2d'])('refuses %s with dilationRate 2 in the sandbox', async (factory) => {
    const code = `function buildModel(tf, { inputShape, numClasses }) {
      const model = tf.sequential();
      model.add(tf.layers.${factory}({ inputShape, ${factory === 'depthwiseConv2d' ? '' : 'filters: 4, '}kernelSize: 3, padding: 'same', dilationRate: 2 }));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: numClasses }));
      return model;
    }`;
    expect(await compiler.compile(code)).toMatchObject({
      ok: false,
      failure: { reason: 'compile', message: expect.stringMatching(/dilationRate \[2, 2\] cannot be trained .* use dilationRate 1/) },
    });
  });

  it('refuses a forged dilation_rate in the validator', () => {
    const forged = structuredClone(seed);
    forged.config.layers[1]!.config.dilation_rate = [1, 3];
    expect(validateTopology(forged, limits)).toMatchObject({
      ok: false,
      failure: { reason: 'compile', message: expect.stringMatching(/'conv2d_1' \(Conv2D\).*dilationRate \[1, 3\] cannot be trained/) },
    });
  });

  it('is right: tfjs has no gradient for a dilated convolution', () => {
    const x = tf.ones([1, 5, 5, 1]);
    const w = tf.ones([3, 3, 1, 1]);
    expect(() => tf.grad((input: tf.Tensor4D) => tf.conv2d(input, w as tf.Tensor4D, 1, 'same', 'NHWC', 2).sum())(x as tf.Tensor4D)).toThrow(
      /dilation rates greater than 1 are not yet supported in gradients/,
    );
  });
});
