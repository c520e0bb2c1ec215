import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
function time(name: string, f: () => unknown) { let best = 1e9; for (let r = 0; r < 7; r++) { const t0 = performance.now(); for (let i = 0; i < 20; i++) tf.tidy(() => { f(); }); best = Math.min(best, (performance.now() - t0) / 20); } console.log(name, best.toFixed(3)); }
for (const [B, H, Ci, Co] of [[64, 28, 1, 8], [64, 13, 8, 16], [64, 16, 32, 64]]) {
  const OH = H - 2;
  const x = tf.randomNormal([B, H, H, Ci]), dy = tf.randomNormal([B, OH, OH, Co]);
  console.log(`--- x ${x.shape} dy ${dy.shape}`);
  time('transpose dy ->[Co,OH,OW,B]', () => tf.transpose(dy, [3, 1, 2, 0]));
  time('transpose x -> [H,W,B,Ci]', () => tf.transpose(x, [1, 2, 0, 3]));
  const In = tf.transpose(dy, [3, 1, 2, 0]) as tf.Tensor4D; const F = tf.transpose(x, [1, 2, 0, 3]) as tf.Tensor4D;
  time('x-as-filter conv fresh', () => tf.conv2d(In, F.clone(), 1, [[0, 0], [2, 2], [2, 2], [0, 0]]));
  time('x-as-filter conv cached', () => tf.conv2d(In, F, 1, [[0, 0], [2, 2], [2, 2], [0, 0]]));
  time('transpose dy ->[OH,OW,B,Co]', () => tf.transpose(dy, [1, 2, 0, 3]));
  time('transpose x -> [Ci,H,W,B]', () => tf.transpose(x, [3, 1, 2, 0]));
  const X2 = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D, F2 = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  time('dy-as-filter conv fresh', () => tf.conv2d(X2, F2.clone(), 1, 'valid'));
  const w = tf.randomNormal([3, 3, Ci, Co]) as tf.Tensor4D;
  time('forward conv fresh w', () => tf.conv2d(x as tf.Tensor4D, w.clone(), 1, 'valid'));
}
