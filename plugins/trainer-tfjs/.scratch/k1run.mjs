import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
const bmm = tf.getKernel('BatchMatMul','wasm').kernelFunc;
function im2col(x, info, out) { // x NHWC Float32Array
  const { batchSize:B, inHeight:H, inWidth:W, inChannels:C, outHeight:OH, outWidth:OW, strideHeight:sh, strideWidth:sw, dilationHeight:dh, dilationWidth:dw, filterHeight:KH, filterWidth:KW } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  const K = KH*KW*C; let o = 0;
  for (let b=0;b<B;b++){ const xb=b*H*W*C;
    for (let oh=0;oh<OH;oh++) for (let ow=0;ow<OW;ow++) {
      for (let kh=0;kh<KH;kh++){ const ih=oh*sh-pt+kh*dh;
        if (ih<0||ih>=H){ out.fill(0,o,o+KW*C); o+=KW*C; continue; }
        for (let kw=0;kw<KW;kw++){ const iw=ow*sw-pl+kw*dw;
          if (iw<0||iw>=W){ out.fill(0,o,o+C); o+=C; continue; }
          const s = xb+(ih*W+iw)*C;
          if (C===1) out[o++]=x[s]; else { for(let c=0;c<C;c++) out[o++]=x[s+c]; }
        } } } }
}
tf.registerKernel({ kernelName:'Conv2DBackpropFilter', backendName:'wasm', kernelFunc: ({inputs, backend, attrs}) => {
  const { x, dy } = inputs; const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, tf.backend_util.convertConv2DDataFormat(dataFormat));
  const N = info.batchSize*info.outHeight*info.outWidth, K = filterShape[0]*filterShape[1]*filterShape[2];
  const P = backend.makeOutput([1,N,K],'float32');
  const xv = backend.typedArrayFromHeap(x);
  im2col(xv, info, backend.typedArrayFromHeap(P));
  const dy3 = { dataId: dy.dataId, shape:[1,N,info.outChannels], dtype:'float32' };
  const out = bmm({inputs:{a:P,b:dy3}, backend, attrs:{transposeA:true, transposeB:false}});
  backend.disposeData(P.dataId);
  out.shape = filterShape.slice();
  return out;
}});
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
