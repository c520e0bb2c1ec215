import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
function time(name: string, f: () => unknown) { let best = 1e9; for (let r = 0; r < 7; r++) { const t0 = performance.now(); for (let i = 0; i < 20; i++) tf.tidy(() => { f(); }); best = Math.min(best, (performance.now() - t0) / 20); } console.log(name, best.toFixed(3)); }
const x = tf.randomNormal([64, 26, 26, 8]);
time('sum orig', () => tf.sum(x, [0, 1, 2]));
time('transpose [43264,8]', () => tf.transpose(x.reshape([43264, 8])));
const ones = tf.ones([43264, 1]);
const xt = tf.transpose(x.reshape([43264, 8]));
time('gemv cached ones', () => tf.matMul(xt, ones));
time('avgpool global', () => tf.avgPool(x.reshape([1, 43264, 1, 8]) as tf.Tensor4D, [43264, 1], 1, 'valid'));
time('avgpool 2-level', () => tf.avgPool(tf.avgPool(x.reshape([64, 676, 1, 8]) as tf.Tensor4D, [676, 1], 1, 'valid').reshape([1, 64, 1, 8]), [64, 1], 1, 'valid'));
time('avgpool [64*26,26] then', () => tf.avgPool(x.reshape([1, 1664, 26, 8]) as tf.Tensor4D, [1664, 26], 1, 'valid'));
time('mean orig', () => tf.mean(x, [0, 1, 2]));
time('sum of x*x orig', () => tf.sum(tf.mul(x, x), [0, 1, 2]));
