import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tfjsSpace } from '@llmatic/tfjs';
import { mnistMinibatch, naswot, type Minibatch } from '../src/index.js';
import { convNet, linearNet, smallNet, specOf } from './networks.js';

const context = { candidateId: 'test' };
const fixed = (inputShape: number[], values: number[]): Minibatch => ({ name: 'fixed', inputShape, load: async () => Float32Array.from(values) });

describe('naswot', () => {
  it('computes log|K_H| of the binary ReLU codes, as worked out by hand', async () => {
    // Two inputs pass an identity dense layer + ReLU: the codes are the signs of the inputs.
    const net = specOf([1, 1, 2], () => [
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: 'relu', kernelInitializer: 'identity', biasInitializer: 'zeros' }),
      tf.layers.dense({ units: 2 }),
    ], 2);
    // Codes [1,0], [0,1], [1,1] over N_A = 2 units; K = N_A - hamming = [[2,0,1],[0,2,1],[1,1,2]], det 4.
    const evaluator = naswot({ batch: fixed([1, 1, 2], [1, -1, -1, 1, 1, 1]) });
    const result = await evaluator.evaluate(net, context);
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.fitness).toBeCloseTo(Math.log(4), 6);
    expect(result.metrics).toMatchObject({ naswot: result.fitness, reluUnits: 2, params: 2 * 2 + 2 + 2 * 2 + 2 });
  });

  it('scores real networks on real digits reproducibly, and seeds change the initialisation', async () => {
    const batch = mnistMinibatch({ size: 32 });
    const evaluator = naswot({ batch });
    const [a, b, conv] = await Promise.all([evaluator.evaluate(smallNet(), context), evaluator.evaluate(smallNet(), context), evaluator.evaluate(convNet(), context)]);
    if (!a.ok || !b.ok || !conv.ok) throw new Error('a real network failed to score');
    expect(a.fitness).toBe(b.fitness);
    expect(Number.isFinite(conv.fitness)).toBe(true);
    // The small net has 26*26*4 ReLU units; the convnet 26*26*8 + 11*11*16 + 32.
    expect(a.metrics.reluUnits).toBe(26 * 26 * 4);
    expect(conv.metrics.reluUnits).toBe(26 * 26 * 8 + 11 * 11 * 16 + 32);
    const other = await naswot({ batch, seed: 7 }).evaluate(convNet(), context);
    if (!other.ok) throw new Error(other.failure.message);
    expect(other.fitness).not.toBe(conv.fitness);
  });

  it('scores what @llmatic/tfjs compiles', async () => {
    const space = tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10 });
    const program = `function buildModel(tf, { inputShape, numClasses }) {
      const model = tf.sequential();
      model.add(tf.layers.conv2d({ inputShape, filters: 6, kernelSize: 3, activation: 'relu' }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
      return model;
    }`;
    const compiled = await space.compiler.compile(program);
    if (!compiled.ok) throw new Error(compiled.failure.message);
    const result = await naswot({ batch: mnistMinibatch({ size: 16 }) }).evaluate(compiled.model, context);
    expect(result).toMatchObject({ ok: true, metrics: { reluUnits: 26 * 26 * 6 } });
  });

  it('fails, typed, on networks NASWOT cannot score', async () => {
    const evaluator = naswot({ batch: mnistMinibatch({ size: 8 }) });
    expect(await evaluator.evaluate(linearNet(), context)).toMatchObject({ ok: false, failure: { reason: 'evaluation', message: expect.stringMatching(/no ReLU/) } });
    const wrongInput = specOf([32, 32, 3], () => [tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'relu' })]);
    expect(await evaluator.evaluate(wrongInput, context)).toMatchObject({ ok: false, failure: { message: expect.stringMatching(/takes \[32, 32, 3\].*\[28, 28, 1\]/) } });
    // Two identical images share every activation pattern: the kernel is singular.
    const twins = naswot({ batch: fixed([1, 1, 2], [1, 2, 1, 2]) });
    const tiny = specOf([1, 1, 2], () => [tf.layers.flatten(), tf.layers.dense({ units: 4, activation: 'relu' }), tf.layers.dense({ units: 2 })], 2);
    expect(await twins.evaluate(tiny, context)).toMatchObject({ ok: false, failure: { message: expect.stringMatching(/singular/) } });
  });

  it('refuses bad options and a minibatch that cannot work, naming the fix', async () => {
    expect(() => naswot({} as never)).toThrow(/batch must be a Minibatch.*mnistMinibatch/);
    expect(() => mnistMinibatch({ size: 1 })).toThrow(/size must be an integer in \[2, /);
    const oneImage = naswot({ batch: fixed([28, 28, 1], Array.from({ length: 784 }, () => 0)) });
    await expect(oneImage.check!()).rejects.toThrow(/pass a batch of at least 2 images/);
  });
});

describe('seedInitializers', () => {
  it('gives every initialiser its own non-zero seed and leaves the input alone', async () => {
    const { seedInitializers } = await import('../src/index.js');
    const spec = smallNet();
    const before = JSON.stringify(spec.topology);
    const seeded = JSON.stringify(seedInitializers(spec.topology, 0));
    expect(JSON.stringify(spec.topology)).toBe(before);
    // tfjs reads a seed of 0 as "draw one at random"; 0 must never be used.
    expect([...seeded.matchAll(/"seed":(-?\d+)/g)].map((m) => Number(m[1]))).toEqual([1, 2]);
  });
});
