import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
console.log('simd', await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), 'mt', await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'), 'threads', getThreadsCount());
