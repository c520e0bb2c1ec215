import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { conv2dBackpropFilterConfig } from '../src/kernels/conv2d-backprop-filter.js';
import { WasmOps } from '../src/kernels/wasm-ops.js';
setThreadsCount(1);
await tf.setBackend('wasm');
tf.registerKernel(conv2dBackpropFilterConfig(new WasmOps(['Conv2D','Transpose','Slice','PadV2','BatchMatMul'])));
function bpf(x: tf.Tensor4D, dy: tf.Tensor4D, fs: number[], s: number, pad: 'same'|'valid') {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [s, s], pad, dataFormat: 'NHWC', filterShape: fs } as never) as tf.Tensor;
}
for (const [shape, fs, s, pad] of [[[64,28,28,1],[3,3,1,8],1,'valid'],[[64,13,13,8],[3,3,8,16],1,'valid'],[[4,9,9,3],[3,3,3,5],2,'same'],[[4,10,9,3],[5,3,3,5],2,'valid'],[[2,7,7,4],[1,1,4,6],1,'same'],[[3,8,8,2],[3,3,2,4],2,'same'],[[3,8,8,2],[4,4,2,4],3,'same']] as const) {
  const x = tf.randomNormal(shape as unknown as number[]) as tf.Tensor4D;
  const yShape = tf.conv2d(x, tf.zeros(fs as unknown as number[]) as tf.Tensor4D, s, pad).shape;
  const dy = tf.randomNormal(yShape) as tf.Tensor4D;
  const w = bpf(x, dy, fs as unknown as number[], s, pad).dataSync();
  await tf.setBackend('cpu');
  const c = bpf(tf.tensor(x.dataSync(), x.shape) as tf.Tensor4D, tf.tensor(dy.dataSync(), dy.shape) as tf.Tensor4D, fs as unknown as number[], s, pad).dataSync();
  await tf.setBackend('wasm');
  let md = 0, mx = 0; for (let i = 0; i < c.length; i++) { md = Math.max(md, Math.abs(w[i]! - c[i]!)); mx = Math.max(mx, Math.abs(c[i]!)); }
  let best = 1e9; for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (let i = 0; i < 20; i++) tf.tidy(() => { bpf(x, dy, fs as unknown as number[], s, pad); }); best = Math.min(best, (performance.now() - t0) / 20); }
  console.log(shape.join('x'), fs.join('x'), s, pad, 'maxdiff/max', (md / mx).toExponential(2), 'time', best.toFixed(3), 'ms', 'tensors', tf.memory().numTensors);
}
