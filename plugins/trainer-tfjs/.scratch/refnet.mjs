import { instrument, cpuNow } from './prof.mjs';
export async function runRef(tf, label, noInstrument) {
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
  for (let i=0;i<10;i++) step();
  let best = 1e9, bestCpu = 1e9;
  for (let r=0;r<5;r++){ const n=20; const t0=performance.now(), c0=cpuNow(); for(let i=0;i<n;i++) step(); best=Math.min(best,(performance.now()-t0)/n); bestCpu=Math.min(bestCpu,(cpuNow()-c0)/n); }
  console.log(`${label}: wall ${best.toFixed(2)} ms/step = ${(64000/best).toFixed(0)} img/s; cpu ${bestCpu.toFixed(2)} ms/step = ${(64000/bestCpu).toFixed(0)} img/s`);
  if (noInstrument) return;
  const ins = instrument(tf); const n=30;
  const c0=cpuNow(); for(let i=0;i<n;i++) step(); const per=(cpuNow()-c0)/n;
  console.log(`instrumented cpu ${per.toFixed(2)} ms, kernels ${ins.total(n).toFixed(2)} ms`);
  console.log(ins.report(n));
}
