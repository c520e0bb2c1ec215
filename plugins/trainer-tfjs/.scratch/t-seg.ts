import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
function time(name: string, f: () => unknown) { let best = 1e9; for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (let i = 0; i < 20; i++) tf.tidy(() => { f(); }); best = Math.min(best, (performance.now() - t0) / 20); } console.log(name, best.toFixed(3)); }
const xr = tf.randomNormal([1, 28, 28, 64]) as tf.Tensor4D, dyr = tf.randomNormal([26, 26, 64, 8]) as tf.Tensor4D;
time('conv trick conv1 (xnn)', () => tf.conv2d(xr, dyr, 1, 'valid'));
const xr2 = tf.randomNormal([8, 13, 13, 64]) as tf.Tensor4D, dyr2 = tf.randomNormal([11, 11, 64, 16]) as tf.Tensor4D;
time('conv trick conv2 (xnn)', () => tf.conv2d(xr2, dyr2, 1, 'valid'));
const a = new Float32Array(64*26*26*8), b = new Float32Array(a.length);
function rg(dy: Float32Array, dyr: Float32Array, B: number, P: number, CO: number) { let s = 0; for (let bb = 0; bb < B; bb++) for (let p = 0; p < P; p++) { let o = (p * B + bb) * CO; for (let c = 0; c < CO; c++) dyr[o++] = dy[s++]!; } }
time('rearrange dy1 JS', () => rg(a, b, 64, 676, 8));
