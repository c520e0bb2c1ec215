import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const x = tf.range(0, 2*2*3*1, 1).reshape([2, 2, 1, 3, 1, 1]);
const p = tf.pad(x, [[0,0],[0,0],[0,1],[0,0],[0,1],[0,0]]);
console.log(p.shape, Array.from(p.dataSync()).join(','));
