import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/kernels/register.js';
setThreadsCount(1);
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const m = tf.sequential({layers:[
    tf.layers.conv2d({inputShape:[28,28,1], filters:8, kernelSize:3, activation:'relu'}),
    tf.layers.maxPooling2d({poolSize:2}),
    tf.layers.conv2d({filters:16, kernelSize:3, activation:'relu'}),
    tf.layers.flatten(),
    tf.layers.dense({units:10}),
  ]});
const opt = tf.train.momentum(0.01, 0.9);
const x = tf.randomUniform([64,28,28,1]); const y = tf.oneHot(tf.randomUniform([64],0,10,'int32'),10);
function step(){ return tf.tidy(()=>{ const l = opt.minimize(()=>tf.losses.softmaxCrossEntropy(y, m.apply(x,{training:true})), true); return l!.dataSync()[0]; }); }
step(); step();
const counts = new Map<string, number>();
for (const name of ['Identity', 'Add', 'Multiply', 'Cast']) {
  const k = tf.getKernel(name, 'wasm')!;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...k, kernelFunc: (args) => { const st = (new Error().stack ?? '').split('\n').slice(2, 14).map(s => s.trim().replace(/\(.*node_modules\//, '(').slice(0, 90)).filter(s => !s.includes('engine') && !s.includes('Engine') && !s.includes('tidy') && !s.includes('scopedRun')).slice(0, 3).join(' < '); const key = name + ': ' + st; counts.set(key, (counts.get(key) ?? 0) + 1); return k.kernelFunc(args); } });
}
step();
for (const [k, v] of counts) console.log(v, k);
