import { describe, expect, it } from 'vitest';
import { SEED_PROGRAM, TFJS_LANGUAGE, tfjsCompiler } from '@llmatic/tfjs';

const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10 });

describe('tfjsCompiler', () => {
  it('compiles the seed program into the paper seed network', async () => {
    expect(compiler.language).toBe(TFJS_LANGUAGE);
    const result = await compiler.compile(SEED_PROGRAM);
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.model.layers.map((layer) => [layer.className, layer.outputShape, layer.params])).toEqual([
      ['InputLayer', [32, 32, 3], 0],
      ['Conv2D', [32, 32, 1], 4],
      ['Flatten', [1024], 0],
      ['Dense', [10], 10_250],
    ]);
    expect(result.model).toMatchObject({ inputShape: [32, 32, 3], numClasses: 10, params: 10_254, outputActivation: 'softmax' });
    // Plain data: it survives a trip to another process unchanged.
    expect(JSON.parse(JSON.stringify(result.model))).toEqual(result.model);
  });

  it('compiles concurrent candidates independently', async () => {
    const widths = [1, 2, 3, 4];
    const results = await Promise.all(
      widths.map((filters) => compiler.compile(SEED_PROGRAM.replace('filters: 1', `filters: ${filters}`))),
    );
    expect(results.map((result) => (result.ok ? result.model.layers[1]?.outputShape.at(-1) : result.failure.message))).toEqual(
      widths,
    );
  });

  it('accepts tabular inputs and the inputDim shorthand', async () => {
    const tabular = tfjsCompiler({ inputShape: [12], numClasses: 3 });
    const result = await tabular.compile(`function buildModel(tf, { numClasses }) {
      return tf.sequential({ layers: [tf.layers.dense({ inputDim: 12, units: 8, activation: 'relu' }), tf.layers.dense({ units: numClasses })] });
    }`);
    expect(result.ok && result.model.params).toBe(12 * 8 + 8 + 8 * 3 + 3);
  });

  it('applies the caps given in its options', async () => {
    const small = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10, maxParams: 5_000 });
    const result = await small.compile(SEED_PROGRAM);
    expect(result).toMatchObject({ ok: false, failure: { reason: 'resource-cap' } });
    const shallow = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10, maxLayers: 2 });
    expect(await shallow.compile(SEED_PROGRAM)).toMatchObject({
      ok: false,
      failure: { reason: 'resource-cap', message: expect.stringMatching(/more than 2 layers/) },
    });
  });

  it('stops the sandbox when the compile is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = compiler.compile('function buildModel() { while (true) {} }', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run stopped')), 200);
    await expect(pending).rejects.toThrow('run stopped');
    // Without the abort the child would run until its wall-clock limit (5 s + 5 s start-up grace).
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('refuses bad options with a message naming them', () => {
    expect(() => tfjsCompiler({ inputShape: [32, 0, 3], numClasses: 10 })).toThrow(/inputShape\.1/);
    expect(() => tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10, memoryMb: 1 })).toThrow(/memoryMb/);
    expect(() => tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10, colour: 'red' } as never)).toThrow(/colour/);
  });
});
