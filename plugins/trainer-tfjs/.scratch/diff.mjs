import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const w = new Set(tf.getKernelsForBackend('wasm').map(k=>k.kernelName));
const c = tf.getKernelsForBackend('cpu').map(k=>k.kernelName).filter(k=>!w.has(k)).sort();
console.log(c.join(' '));
