import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
function time(name, f, n=30){ f(); const t0=performance.now(); for(let i=0;i<n;i++) tf.tidy(()=>{ const r=f(); r.dataSync(); }); console.log(name, ((performance.now()-t0)/n).toFixed(3),'ms'); }
for (const [N,K,C] of [[43264,9,8],[7744,72,16]]) {
  const P = tf.randomNormal([N,K]); const dy = tf.randomNormal([N,C]); const PT = P.transpose(); const W = tf.randomNormal([K,C]);
  time(`PT@dy tA ${N}x${K}x${C}`, ()=>tf.matMul(P, dy, true, false));
  time(`PT(explicit)@dy`, ()=>tf.matMul(PT, dy));
  time(`transpose P`, ()=>P.transpose());
  time(`dy@W^T`, ()=>tf.matMul(dy, W, false, true));
  time(`P@W fwd`, ()=>tf.matMul(P, W));
  time(`dy^T@P -> [C,K]`, ()=>tf.matMul(dy, P, true, false));
}
