import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FLOPS_BOUNDS,
  DEFAULT_WIDTH_DEPTH_BOUNDS,
  flopsDescriptor,
  paramsDescriptor,
  SEED_PROGRAM,
  tfjsCompiler,
  widthDepthDescriptor,
  widthToDepth,
  type TfjsModelSpec,
} from '@llmatic/tfjs';
import { createLayerCatalogue, type Shape } from '../src/layers/catalogue.js';

const { rules } = createLayerCatalogue();

/** Output shape, parameters and FLOPs of one layer made from factory arguments. */
function measure(className: string, args: Record<string, unknown>, ...inputs: Shape[]) {
  const rule = rules[className];
  if (!rule) throw new Error(`no rule for ${className}`);
  const config = rule.configure(args, 'layer');
  const output = rule.outputShape(config, inputs);
  return { output, params: rule.params(config, inputs), flops: rule.flops(config, inputs, output) };
}

describe('parameters and FLOPs (NAS-Bench-201 convention), by hand', () => {
  it('Conv2D 3x3, 3 -> 16 channels, valid padding: 30x30 outputs', () => {
    // MACs 30*30*16 * (3*3*3) = 388,800; bias adds 30*30*16 = 14,400
    expect(measure('Conv2D', { filters: 16, kernelSize: 3 }, [32, 32, 3])).toEqual({
      output: [30, 30, 16],
      params: 3 * 3 * 3 * 16 + 16,
      flops: 388_800 + 14_400,
    });
  });

  it('Conv2D 3x3 same padding keeps 32x32', () => {
    expect(measure('Conv2D', { filters: 16, kernelSize: 3, padding: 'same' }, [32, 32, 3])).toEqual({
      output: [32, 32, 16],
      params: 448,
      flops: 32 * 32 * 16 * 27 + 32 * 32 * 16,
    });
  });

  it('strided Conv2D, same (ceil(32/2) = 16) and valid (floor((32-3)/2)+1 = 15)', () => {
    expect(measure('Conv2D', { filters: 16, kernelSize: 3, strides: 2, padding: 'same' }, [32, 32, 3]).flops).toBe(
      16 * 16 * 16 * 28,
    );
    const valid = measure('Conv2D', { filters: 16, kernelSize: 3, strides: 2 }, [32, 32, 3]);
    expect(valid.output).toEqual([15, 15, 16]);
    expect(valid.flops).toBe(15 * 15 * 16 * 28);
  });

  it('Conv2D without bias counts no bias adds', () => {
    expect(measure('Conv2D', { filters: 16, kernelSize: 3, useBias: false }, [32, 32, 3])).toMatchObject({
      params: 432,
      flops: 388_800,
    });
  });

  it('Conv2D with a rectangular kernel', () => {
    // rows 8 - 3 + 1 = 6, cols 8 - 1 + 1 = 8
    expect(measure('Conv2D', { filters: 2, kernelSize: [3, 1] }, [8, 8, 4])).toEqual({
      output: [6, 8, 2],
      params: 3 * 1 * 4 * 2 + 2,
      flops: 6 * 8 * 2 * 12 + 6 * 8 * 2,
    });
  });

  it('Dense 1024 -> 10', () => {
    expect(measure('Dense', { units: 10 }, [1024])).toEqual({ output: [10], params: 10_250, flops: 10_240 + 10 });
  });

  it('DepthwiseConv2D 3x3, 4 channels, multiplier 2, valid', () => {
    // outputs 6*6*8 = 288, each 9 MACs + 1 bias add
    expect(measure('DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 2 }, [8, 8, 4])).toEqual({
      output: [6, 6, 8],
      params: 3 * 3 * 8 + 8,
      flops: 288 * 9 + 288,
    });
  });

  it('SeparableConv2D 3x3, 4 -> 6 channels, same', () => {
    // depthwise 64 positions * 4 channels * 9 = 2,304; pointwise 64 * 4 * 6 = 1,536; bias 64 * 6 = 384
    expect(measure('SeparableConv2D', { filters: 6, kernelSize: 3, padding: 'same' }, [8, 8, 4])).toEqual({
      output: [8, 8, 6],
      params: 9 * 4 + 4 * 6 + 6,
      flops: 2_304 + 1_536 + 384,
    });
  });

  it('pooling, normalisation, activations and merges cost no FLOPs', () => {
    expect(measure('MaxPooling2D', { poolSize: 2 }, [8, 8, 4])).toEqual({ output: [4, 4, 4], params: 0, flops: 0 });
    expect(measure('AveragePooling2D', { poolSize: 3, strides: 2, padding: 'same' }, [7, 7, 4]).output).toEqual([4, 4, 4]);
    expect(measure('BatchNormalization', {}, [8, 8, 4])).toEqual({ output: [8, 8, 4], params: 16, flops: 0 });
    expect(measure('Activation', { activation: 'relu' }, [8, 8, 4]).flops).toBe(0);
    expect(measure('Add', {}, [8, 8, 4], [8, 8, 4]).flops).toBe(0);
    expect(measure('Concatenate', {}, [8, 8, 4], [8, 8, 2]).output).toEqual([8, 8, 6]);
    expect(measure('ZeroPadding2D', { padding: [[1, 2], [0, 3]] }, [8, 8, 4]).output).toEqual([11, 11, 4]);
  });

  it('refuses shapes tfjs would refuse, naming the problem', () => {
    expect(() => measure('Conv2D', { filters: 1, kernelSize: 5 }, [3, 3, 1])).toThrow(/empty -1x-1 map.*padding 'same'/);
    expect(() => measure('Add', {}, [8, 8, 4], [8, 8, 2])).toThrow(/same shape, got \[8, 8, 4\] and \[8, 8, 2\]/);
    expect(() => measure('Dense', { units: 0 }, [4])).toThrow(/units must be a positive integer, got 0/);
  });
});

describe('descriptors', () => {
  const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10 });
  async function compile(code: string): Promise<TfjsModelSpec> {
    const result = await compiler.compile(code);
    if (!result.ok) throw new Error(result.failure.message);
    return result.model;
  }

  it('seed: 14,346 FLOPs, 10,254 parameters, width/depth 10 / 2 = 5', async () => {
    const seed = await compile(SEED_PROGRAM);
    // conv 1x1 3->1 on 32x32: 1024*3 MACs + 1024 bias; dense 1024->10: 10,240 MACs + 10 bias
    expect(flopsDescriptor().compute(seed, {})).toBe(1024 * 3 + 1024 + 10_240 + 10);
    expect(paramsDescriptor().compute(seed, {})).toBe(4 + 10_250);
    expect(widthDepthDescriptor().compute(seed, {})).toBe(5);
  });

  it('width/depth counts computing layers, not plumbing', async () => {
    const spec = await compile(`function buildModel(tf, { inputShape, numClasses }) {
      const model = tf.sequential();
      model.add(tf.layers.conv2d({ inputShape, filters: 32, kernelSize: 3, activation: 'relu' }));
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: 'relu' }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
      return model;
    }`);
    // width 32 (conv); depth: conv, batchNormalization, activation, maxPooling2d, dense = 5
    expect(widthToDepth(spec)).toBe(32 / 5);
  });

  it('uses SPEC bounds by default and accepts others', () => {
    expect(flopsDescriptor().bounds).toEqual([200e6, 5e9]);
    expect(DEFAULT_FLOPS_BOUNDS).toEqual([200e6, 5e9]);
    expect(widthDepthDescriptor().bounds).toEqual(DEFAULT_WIDTH_DEPTH_BOUNDS);
    expect(DEFAULT_WIDTH_DEPTH_BOUNDS).toEqual([0, 200]);
    expect(flopsDescriptor([1e4, 5e7]).bounds).toEqual([1e4, 5e7]);
    expect(flopsDescriptor().name).toBe('flops');
    expect(widthDepthDescriptor().name).toBe('width-depth');
  });
});
