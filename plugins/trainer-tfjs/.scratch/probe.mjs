import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
await tf.ready();
console.log(tf.getBackend(), getThreadsCount());
const reg = tf.getKernelsForBackend('wasm').map(k=>k.kernelName).sort();
console.log(reg.length, reg.join(' '));
