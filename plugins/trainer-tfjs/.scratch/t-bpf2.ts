import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function time(name: string, f: () => unknown) { for (let i = 0; i < 5; i++) tf.tidy(() => { f(); }); let best = 1e9; for (let r = 0; r < 7; r++) { const t0 = cpuNow(); for (let i = 0; i < 20; i++) tf.tidy(() => { f(); }); best = Math.min(best, (cpuNow() - t0) / 20); } console.log(name, best.toFixed(3)); }
for (const [B, H, Ci, Co] of [[64, 28, 1, 8], [64, 13, 8, 16]]) {
  const OH = H - 2;
  const x = tf.randomNormal([B, H, H, Ci]), dy = tf.randomNormal([B, OH, OH, Co]);
  console.log(`--- x ${x.shape} dy ${dy.shape}`);
  time('transpose x -> [Ci,H,W,B]', () => tf.transpose(x, [3, 1, 2, 0]));
  time('transpose dy ->[OH,OW,B,Co]', () => tf.transpose(dy, [1, 2, 0, 3]));
  const X2 = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D, F2 = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  time('dy-as-filter conv cached', () => tf.conv2d(X2, F2, 1, 'valid'));
  time('dy-as-filter conv fresh', () => tf.conv2d(X2, F2.clone(), 1, 'valid'));
  time('clone', () => F2.clone());
  // matmul alternative: B = dy [Nn, Co] fresh, A = PT [K, Nn]
  const PT = tf.randomNormal([9 * Ci, B * OH * OH]);
  const d2 = dy.reshape([B * OH * OH, Co]);
  time('PT@dy fresh B', () => tf.matMul(PT, d2.clone()));
}
