import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend(process.argv[2] ?? 'wasm');
const m = tf.sequential({layers:[
  tf.layers.conv2d({inputShape:[28,28,1], filters:8, kernelSize:3, activation:'relu'}),
  tf.layers.maxPooling2d({poolSize:2}),
  tf.layers.conv2d({filters:16, kernelSize:3, activation:'relu'}),
  tf.layers.flatten(),
  tf.layers.dense({units:10}),
]});
const opt = tf.train.momentum(0.01, 0.9);
const x = tf.randomUniform([64,28,28,1]); const y = tf.oneHot(tf.randomUniform([64],0,10,'int32'),10);
function step(){ return tf.tidy(()=>{ const l = opt.minimize(()=>tf.losses.softmaxCrossEntropy(y, m.apply(x,{training:true})), true); return l.dataSync()[0]; }); }
try { step(); } catch(e) { console.log('ERR', e.message); process.exit(0); }
const n=50; const t0=performance.now(); for(let i=0;i<n;i++) step(); const dt=performance.now()-t0;
console.log(tf.getBackend(), (n*64/(dt/1000)).toFixed(0),'img/s');
const prof = await tf.profile(()=>step());
const agg={}; for(const k of prof.kernels){ agg[k.name]=(agg[k.name]??0)+k.kernelTimeMs; }
console.log(Object.entries(agg).sort((a,b)=>b[1]-a[1]).slice(0,15).map(([k,v])=>k+':'+v.toFixed(2)).join(' '));
