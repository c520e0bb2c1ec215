import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackends, onBackend, randomHost, relativeError } from '../test/backend-harness.js';
it('dbg', async () => {
  await initBackends();
  // conv2dTranspose forward: Conv2DBackpropInput with inputShape [B, 8, 8, 2] from x [B,4,4,3], stride 2 same, k 3
  for (const [xs, ks, s, pad, outShape] of [[[6,4,4,3],[3,3,2,3],2,'same',[6,8,8,2]], [[6,4,4,3],[3,3,2,3],2,'valid',[6,9,9,2]], [[2,3,3,1],[3,3,1,1],2,'same',[2,6,6,1]]] as const) {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, outShape as unknown as [number,number,number,number], s, pad);
    const ins = [randomHost(xs as unknown as number[], 1), randomHost(ks as unknown as number[], 2)];
    const c = await onBackend('cpu', ins, (a, b) => f(a!, b!));
    const w = await onBackend('wasm', ins, (a, b) => f(a!, b!));
    console.log('transpose fwd', xs, pad, relativeError(w[0]!, c[0]!));
    if (pad === 'same' && xs[0] === 2) { console.log(Array.from(c[0]!).map(v=>v.toFixed(2)).join(' ')); console.log(Array.from(w[0]!).map(v=>v.toFixed(2)).join(' ')); }
  }
  // BN
  const bn = (x: tf.Tensor) => { const m = tf.moments(x, [0, 1, 2]); return [m.mean, m.variance, tf.mean(x, [0,1,2], false)]; };
  const ins = [randomHost([6, 7, 7, 4], 3)];
  const c = await onBackend('cpu', ins, (a) => bn(a!));
  const w = await onBackend('wasm', ins, (a) => bn(a!));
  c.forEach((v, i) => console.log('moments', i, relativeError(w[i]!, v), Array.from(v).slice(0,4), Array.from(w[i]!).slice(0,4)));
});
