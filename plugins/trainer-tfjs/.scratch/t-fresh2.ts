import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
function time(name: string, f: () => unknown) { let best = 1e9; for (let r = 0; r < 7; r++) { const t0 = performance.now(); for (let i = 0; i < 20; i++) tf.tidy(() => { f(); }); best = Math.min(best, (performance.now() - t0) / 20); } console.log(name, best.toFixed(3)); }
for (const [M, K, N] of [[9, 64, 8], [9, 1000, 8], [9, 10000, 8], [9, 43264, 8], [1000, 9, 8], [43264, 9, 8], [9, 43264, 1], [9, 43264, 64]]) {
  const A = tf.randomNormal([M, K]), B = tf.randomNormal([K, N]);
  time(`A[${M},${K}]@B[${K},${N}] cached`, () => tf.matMul(A, B));
  time(`   fresh B`, () => tf.matMul(A, B.clone()));
}
