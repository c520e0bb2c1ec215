import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackends, onBackend, randomHost, relativeError, type HostTensor } from './backend-harness.js';

beforeAll(initBackends);

type Pad = 'same' | 'valid' | Array<[number, number]>;
type Shape4 = [number, number, number, number];

function kernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as never) as tf.Tensor;
}

async function expectSameOnBothBackends(inputs: HostTensor[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<void> {
  const expected = await onBackend('cpu', inputs, fn);
  const actual = await onBackend('wasm', inputs, fn);
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i]!.length).toBe(expected[i]!.length);
    expect(relativeError(actual[i]!, expected[i]!)).toBeLessThan(1e-4);
  }
}

function outShape(x: Shape4, filter: Shape4, stride: number, pad: Pad, depthwise = false): number[] {
  return tf.tidy(() => {
    const xs = tf.zeros(x) as tf.Tensor4D;
    const w = tf.zeros(filter) as tf.Tensor4D;
    return (depthwise ? tf.depthwiseConv2d(xs, w, stride, pad) : tf.conv2d(xs, w, stride, pad)).shape;
  });
}

const convCases: Array<{ x: Shape4; filter: Shape4; stride: number; pad: Pad }> = [
  { x: [16, 28, 28, 1], filter: [3, 3, 1, 8], stride: 1, pad: 'valid' },
  { x: [8, 13, 13, 8], filter: [3, 3, 8, 16], stride: 1, pad: 'valid' },
  { x: [4, 9, 9, 3], filter: [3, 3, 3, 5], stride: 2, pad: 'same' },
  { x: [4, 10, 9, 3], filter: [5, 3, 3, 5], stride: 2, pad: 'valid' },
  { x: [2, 7, 7, 4], filter: [1, 1, 4, 6], stride: 1, pad: 'same' },
  { x: [3, 8, 8, 2], filter: [4, 4, 2, 4], stride: 3, pad: 'same' },
  { x: [2, 6, 5, 3], filter: [2, 2, 3, 2], stride: 1, pad: 'same' },
  // Explicit padding wider than the filter: dy's first rows and columns fall outside the full
  // convolution's window.
  { x: [2, 7, 6, 3], filter: [2, 2, 3, 4], stride: 2, pad: [[0, 0], [3, 1], [2, 3], [0, 0]] },
];

describe('Conv2D gradient kernels on wasm match cpu', () => {
  it.each(convCases)('x=$x filter=$filter stride=$stride pad=$pad', async ({ x, filter, stride, pad }) => {
    const dy = outShape(x, filter, stride, pad);
    const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC' };
    await expectSameOnBothBackends([randomHost(x, 1), randomHost(filter, 2), randomHost(dy, 3)], (xt, w, g) => [
      kernel('Conv2DBackpropFilter', { x: xt!, dy: g! }, { ...attrs, filterShape: filter }),
      kernel('Conv2DBackpropInput', { dy: g!, filter: w! }, { ...attrs, inputShape: x }),
    ]);
  });
});

const depthwiseCases: Array<{ x: Shape4; filter: Shape4; stride: number; pad: Pad }> = [
  { x: [4, 12, 12, 6], filter: [3, 3, 6, 1], stride: 1, pad: 'same' },
  { x: [3, 9, 9, 4], filter: [3, 3, 4, 2], stride: 2, pad: 'same' },
  { x: [2, 10, 11, 3], filter: [5, 5, 3, 3], stride: 1, pad: 'valid' },
  { x: [2, 9, 8, 2], filter: [2, 3, 2, 1], stride: 2, pad: 'valid' },
];

describe('DepthwiseConv2dNative gradient kernels on wasm match cpu', () => {
  it.each(depthwiseCases)('x=$x filter=$filter stride=$stride pad=$pad', async ({ x, filter, stride, pad }) => {
    const dy = outShape(x, filter, stride, pad, true);
    const attrs = { strides: [stride, stride], dilations: [1, 1], pad };
    await expectSameOnBothBackends([randomHost(x, 4), randomHost(filter, 5), randomHost(dy, 6)], (xt, w, g) => [
      kernel('DepthwiseConv2dNativeBackpropFilter', { x: xt!, dy: g! }, { ...attrs, filterShape: filter }),
      kernel('DepthwiseConv2dNativeBackpropInput', { dy: g!, filter: w! }, { ...attrs, inputShape: x }),
    ]);
  });
});

describe('MaxPoolGrad on wasm matches cpu', () => {
  const cases: Array<{ x: Shape4; size: number; stride: number; pad: Pad; relu: boolean }> = [
    { x: [8, 26, 26, 8], size: 2, stride: 2, pad: 'valid', relu: true },
    { x: [4, 9, 9, 3], size: 3, stride: 2, pad: 'same', relu: false },
    { x: [2, 7, 8, 5], size: 3, stride: 1, pad: 'same', relu: true },
    { x: [2, 11, 11, 2], size: 2, stride: 3, pad: 'valid', relu: false },
    // Four channels at a time: overlapping padded windows, and disjoint windows leaving a gap.
    { x: [2, 9, 9, 4], size: 3, stride: 2, pad: 'same', relu: true },
    { x: [3, 7, 7, 8], size: 2, stride: 2, pad: 'valid', relu: true },
    { x: [2, 8, 8, 12], size: 2, stride: 1, pad: 'same', relu: false },
    // Windows tiling the input exactly, one channel at a time.
    { x: [2, 8, 6, 3], size: 2, stride: 2, pad: 'valid', relu: true },
  ];
  it.each(cases)('x=$x pool=$size stride=$stride pad=$pad relu=$relu', async ({ x, size, stride, pad, relu }) => {
    const pooled = tf.tidy(() => tf.maxPool(tf.zeros(x) as tf.Tensor4D, size, stride, pad).shape);
    // ReLU inputs make many windows tie at 0: the gradient must go to the first maximum, as on cpu.
    await expectSameOnBothBackends([randomHost(x, 7), randomHost(pooled, 8)], (xt, weights) =>
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, size, stride, pad), weights!)))(relu ? tf.relu(xt!) : xt!));
  });
});

describe('BatchMatMul with transposed operands on wasm matches cpu', () => {
  const cases = [
    { a: [37, 19], b: [19, 11], ta: false, tb: false },
    { a: [19, 37], b: [19, 11], ta: true, tb: false },
    { a: [37, 19], b: [11, 19], ta: false, tb: true },
    { a: [19, 37], b: [11, 19], ta: true, tb: true },
    { a: [1, 64, 300], b: [1, 64, 10], ta: true, tb: false },
    { a: [3, 5, 7], b: [3, 7, 4], ta: false, tb: false },
    // A dense layer's three products (64 images, 300 inputs, 10 units), and a 16-wide one.
    { a: [64, 300], b: [300, 10], ta: false, tb: false },
    { a: [64, 10], b: [300, 10], ta: false, tb: true },
    { a: [64, 300], b: [64, 10], ta: true, tb: false },
    { a: [5, 33], b: [33, 36], ta: false, tb: false },
  ];
  it.each(cases)('a=$a b=$b transposeA=$ta transposeB=$tb', async ({ a, b, ta, tb }) => {
    await expectSameOnBothBackends([randomHost(a, 8), randomHost(b, 9)], (at, bt) => tf.matMul(at!, bt!, ta, tb));
  });
});

describe('Sum and Mean on wasm match cpu', () => {
  const cases: Array<{ shape: number[]; axis: number[]; keepDims: boolean }> = [
    { shape: [16, 26, 26, 8], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 7, 7, 16], axis: [1, 2], keepDims: true },
    { shape: [64, 10], axis: [0], keepDims: false },
    { shape: [5, 6, 7], axis: [-1], keepDims: false },
    { shape: [3, 4, 5, 6], axis: [0, 2], keepDims: false },
    { shape: [1, 1, 1, 4], axis: [0, 1, 2], keepDims: true },
    // Column counts 1-19 (every vector/lane split) and sums of thousands of terms.
    ...[1, 2, 3, 5, 6, 7, 9, 11, 13, 14, 15, 19].map((inner) => ({ shape: [3, 130, inner], axis: [1], keepDims: false })),
    { shape: [64, 26, 26, 8], axis: [0, 1, 2], keepDims: false },
  ];
  it.each(cases)('shape=$shape axis=$axis keepDims=$keepDims', async ({ shape, axis, keepDims }) => {
    await expectSameOnBothBackends([randomHost(shape, 10)], (x) => [tf.sum(x!, axis, keepDims), tf.mean(x!, axis, keepDims)]);
  });
});

describe('Conv2D (forward) on wasm matches cpu', () => {
  const cases: Array<{ x: Shape4; filter: Shape4; stride: number; pad: Pad; dilation?: number }> = [
    { x: [8, 28, 28, 1], filter: [3, 3, 1, 8], stride: 1, pad: 'valid' },
    { x: [4, 13, 13, 8], filter: [3, 3, 8, 16], stride: 1, pad: 'valid' },
    { x: [3, 9, 9, 3], filter: [3, 3, 3, 20], stride: 2, pad: 'same' },
    { x: [2, 10, 9, 5], filter: [5, 3, 5, 7], stride: 2, pad: 'valid' },
    { x: [2, 7, 7, 6], filter: [1, 1, 6, 6], stride: 1, pad: 'same' },
    { x: [2, 8, 8, 2], filter: [4, 4, 2, 33], stride: 3, pad: 'same' },
    { x: [1, 6, 5, 4], filter: [2, 2, 4, 1], stride: 1, pad: 'same' },
    { x: [2, 7, 6, 3], filter: [2, 2, 3, 4], stride: 2, pad: [[0, 0], [3, 1], [2, 3], [0, 0]] },
    // Dilated: keeps the backend's own kernel.
    { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same', dilation: 2 },
  ];
  it.each(cases)('x=$x filter=$filter stride=$stride pad=$pad', async ({ x, filter, stride, pad, dilation }) => {
    await expectSameOnBothBackends([randomHost(x, 11), randomHost(filter, 12)], (xt, w) =>
      tf.conv2d(xt as tf.Tensor4D, w as tf.Tensor4D, stride, pad, 'NHWC', dilation ?? 1));
  });
});

describe('MaxPool (forward) on wasm matches cpu', () => {
  const cases: Array<{ x: Shape4; size: number; stride: number; pad: Pad }> = [
    { x: [8, 26, 26, 8], size: 2, stride: 2, pad: 'valid' },
    { x: [2, 9, 9, 4], size: 3, stride: 2, pad: 'same' },
    { x: [2, 7, 7, 12], size: 2, stride: 2, pad: 'same' },
    // Three channels: keeps the backend's own kernel.
    { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
  ];
  it.each(cases)('x=$x pool=$size stride=$stride pad=$pad', async ({ x, size, stride, pad }) => {
    await expectSameOnBothBackends([randomHost(x, 13)], (xt) => tf.maxPool(xt as tf.Tensor4D, size, stride, pad));
  });
});

describe('Add, Multiply and Step on wasm match cpu', () => {
  const pairs: Array<{ a: number[]; b: number[] }> = [
    { a: [16, 26, 26, 8], b: [8] },          // a bias
    { a: [4, 5, 5, 6], b: [1, 5, 6] },       // trailing dimensions, leading 1
    { a: [64, 10], b: [64, 10] },            // same shape
    { a: [7, 3], b: [] },                     // a scalar
    { a: [3], b: [5, 3] },                    // the smaller one first
    { a: [4, 1, 6], b: [4, 5, 6] },           // a general broadcast: the backend's own kernel
    { a: [2, 5], b: [1, 1, 2, 5] },           // result of higher rank: the backend's own kernel
  ];
  it.each(pairs)('a=$a b=$b', async ({ a, b }) => {
    await expectSameOnBothBackends([randomHost(a, 14), randomHost(b, 15)], (at, bt) => [tf.add(at!, bt!), tf.mul(at!, bt!)]);
  });

  it('Step gives 1 above zero, alpha elsewhere and NaN for NaN, as on cpu', async () => {
    const values = new Float32Array([-2, -0, 0, 1e-30, 3, NaN, -Infinity, Infinity, 0.5]);
    const steps = (t?: tf.Tensor) => [tf.step(t!), tf.step(t!, 0.25)];
    const expected = await onBackend('cpu', [{ shape: [values.length], values }], steps);
    const actual = await onBackend('wasm', [{ shape: [values.length], values }], steps);
    expect(Array.from(actual[0]!)).toEqual(Array.from(expected[0]!));
    expect(Array.from(actual[1]!)).toEqual(Array.from(expected[1]!));
    expect(Array.from(actual[1]!)).toEqual([0.25, 0.25, 0.25, 1, 1, NaN, 0.25, 1, 1]);
  });

  it('int32 operands keep the backend kernels', async () => {
    await tf.setBackend('wasm');
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3], 'int32'), tf.scalar(4, 'int32')));
    expect(sum.dtype).toBe('int32');
    expect(Array.from(await sum.data())).toEqual([5, 6, 7]);
    sum.dispose();
  });
});

describe('_FusedMatMul (dense forward) on wasm matches cpu', () => {
  const cases: Array<{ activation: 'linear' | 'relu' | 'elu'; bias: boolean }> = [
    { activation: 'linear', bias: true },
    { activation: 'relu', bias: true },
    { activation: 'relu', bias: false },
    { activation: 'elu', bias: true },
  ];
  it.each(cases)('activation=$activation bias=$bias', async ({ activation, bias }) => {
    await expectSameOnBothBackends([randomHost([32, 50], 16), randomHost([50, 13], 17), randomHost([13], 18)], (a, b, c) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: bias ? c : undefined, activation }));
  });
});

describe('Identity and Cast on wasm', () => {
  it('share the data instead of copying it, and free it once every reference is disposed', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const before = backend.numDataIds();
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const clone = tf.clone(x);
    const same = tf.cast(x, 'float32');
    expect(backend.numDataIds()).toBe(before + 1);
    x.dispose();
    expect(Array.from(await clone.data())).toEqual([1, 2, 3, 4]);
    clone.dispose();
    expect(Array.from(await same.data())).toEqual([1, 2, 3, 4]);
    same.dispose();
    expect(backend.numDataIds()).toBe(before);
  });

  it('convert between types as on cpu (casts to bool compare with zero)', async () => {
    const values = new Float32Array([1.7, -2.2, 0, 2, 256, -0, 0.5]);
    const casts = (t?: tf.Tensor) => [tf.cast(t!, 'int32'), tf.cast(t!, 'bool'), tf.cast(tf.cast(t!, 'int32'), 'bool'), tf.cast(tf.cast(t!, 'bool'), 'float32')];
    const expected = await onBackend('cpu', [{ shape: [values.length], values }], casts);
    const actual = await onBackend('wasm', [{ shape: [values.length], values }], casts);
    expect(actual.map((a) => Array.from(a))).toEqual(expected.map((e) => Array.from(e)));
    expect(Array.from(actual[1]!)).toEqual([1, 1, 0, 1, 1, 0, 1]);
  });
});
