import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/kernels/register.js';
setThreadsCount(1);
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const m = tf.sequential({layers:[
    tf.layers.conv2d({inputShape:[28,28,1], filters:8, kernelSize:3, activation:'relu'}),
    tf.layers.maxPooling2d({poolSize:2}),
    tf.layers.conv2d({filters:16, kernelSize:3, activation:'relu'}),
    tf.layers.flatten(),
    tf.layers.dense({units:10}),
  ]});
const opt = tf.train.momentum(0.01, 0.9);
const x = tf.randomUniform([64,28,28,1]); const y = tf.oneHot(tf.randomUniform([64],0,10,'int32'),10);
const vars = m.trainableWeights.map(w => (w as unknown as { val: tf.Variable }).val);
function bench(name: string, f: () => void) { for (let i = 0; i < 10; i++) f(); let best = 1e9; for (let r = 0; r < 5; r++) { const c0 = cpuNow(); for (let i = 0; i < 20; i++) f(); best = Math.min(best, (cpuNow() - c0) / 20); } console.log(name, best.toFixed(2), 'ms cpu'); }
bench('forward only (training)', () => tf.tidy(() => { tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor).dataSync(); }));
bench('forward+grads', () => tf.tidy(() => { const { value } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars); value.dataSync(); }));
bench('minimize', () => tf.tidy(() => { opt.minimize(() => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!.dataSync(); }));
const w = tf.randomNormal([64, 26, 26, 8]);
bench('relu+bias fwd', () => tf.tidy(() => { tf.relu(tf.add(w, tf.ones([8]))).dataSync(); }));
