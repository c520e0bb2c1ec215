import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/kernels/register.js';
setThreadsCount(1);
registerWasmTrainingKernels();
await tf.setBackend('wasm');
// @ts-ignore
const { runRef } = await import('./refnet.mjs');
await runRef(tf, 'new');
