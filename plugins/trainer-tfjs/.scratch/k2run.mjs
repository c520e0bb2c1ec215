import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
setThreadsCount(1);
await tf.setBackend('wasm');
const bmm = tf.getKernel('BatchMatMul','wasm').kernelFunc;
const bu = tf.backend_util;
// PT[k*N+n], k=(kh,kw,c), n=(b,oh,ow)
function im2colT(x, info, out) {
  const { batchSize:B, inHeight:H, inWidth:W, inChannels:C, outHeight:OH, outWidth:OW, strideHeight:sh, strideWidth:sw, dilationHeight:dh, dilationWidth:dw, filterHeight:KH, filterWidth:KW } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left; const N=B*OH*OW;
  let o=0;
  for (let kh=0;kh<KH;kh++) for (let kw=0;kw<KW;kw++) for (let c=0;c<C;c++) {
    for (let b=0;b<B;b++){ const xb=b*H*W*C+c;
      for (let oh=0;oh<OH;oh++){ const ih=oh*sh-pt+kh*dh;
        if (ih<0||ih>=H){ out.fill(0,o,o+OW); o+=OW; continue; }
        const row = xb+ih*W*C;
        let iw = -pl+kw*dw;
        for (let ow=0;ow<OW;ow++, iw+=sw){ out[o++] = (iw<0||iw>=W) ? 0 : x[row+iw*C]; }
      } } }
}
function col2im(cols, info, dx) { // cols[n*K+k] -> dx accumulate
  const { batchSize:B, inHeight:H, inWidth:W, inChannels:C, outHeight:OH, outWidth:OW, strideHeight:sh, strideWidth:sw, dilationHeight:dh, dilationWidth:dw, filterHeight:KH, filterWidth:KW } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  dx.fill(0); let o=0;
  for (let b=0;b<B;b++){ const xb=b*H*W*C;
    for (let oh=0;oh<OH;oh++) for (let ow=0;ow<OW;ow++) {
      for (let kh=0;kh<KH;kh++){ const ih=oh*sh-pt+kh*dh;
        if (ih<0||ih>=H){ o+=KW*C; continue; }
        for (let kw=0;kw<KW;kw++){ const iw=ow*sw-pl+kw*dw;
          if (iw<0||iw>=W){ o+=C; continue; }
          const s = xb+(ih*W+iw)*C;
          for(let c=0;c<C;c++) dx[s+c]+=cols[o++];
        } } } }
}
tf.registerKernel({ kernelName:'Conv2DBackpropFilter', backendName:'wasm', kernelFunc: ({inputs, backend, attrs}) => {
  const { x, dy } = inputs; const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = bu.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, bu.convertConv2DDataFormat(dataFormat));
  const N = info.batchSize*info.outHeight*info.outWidth, K = filterShape[0]*filterShape[1]*filterShape[2];
  const P = backend.makeOutput([1,K,N],'float32');
  im2colT(backend.typedArrayFromHeap(x), info, backend.typedArrayFromHeap(P));
  const dy3 = { dataId: dy.dataId, shape:[1,N,info.outChannels], dtype:'float32' };
  const out = bmm({inputs:{a:P,b:dy3}, backend, attrs:{transposeA:false, transposeB:false}});
  backend.disposeData(P.dataId);
  out.shape = filterShape.slice();
  return out;
}});
tf.registerKernel({ kernelName:'Conv2DBackpropInput', backendName:'wasm', kernelFunc: ({inputs, backend, attrs}) => {
  const { dy, filter } = inputs; const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const info = bu.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, bu.convertConv2DDataFormat(dataFormat));
  const N = info.batchSize*info.outHeight*info.outWidth, K = filter.shape[0]*filter.shape[1]*filter.shape[2], Co=info.outChannels;
  const WT = backend.makeOutput([1,Co,K],'float32');
  { const w = backend.typedArrayFromHeap(filter), t = backend.typedArrayFromHeap(WT); for(let k=0;k<K;k++) for(let c=0;c<Co;c++) t[c*K+k]=w[k*Co+c]; }
  const dy3 = { dataId: dy.dataId, shape:[1,N,Co], dtype:'float32' };
  const cols = bmm({inputs:{a:dy3,b:WT}, backend, attrs:{transposeA:false, transposeB:false}});
  backend.disposeData(WT.dataId);
  const dx = backend.makeOutput(inputShape.slice(), 'float32');
  col2im(backend.typedArrayFromHeap(cols), info, backend.typedArrayFromHeap(dx));
  backend.disposeData(cols.dataId);
  return dx;
}});
tf.registerKernel({ kernelName:'MaxPoolGrad', backendName:'wasm', kernelFunc: ({inputs, backend, attrs}) => {
  const { dy, input } = inputs; const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = bu.computePool2DInfo(input.shape, filterSize, strides, 1, pad, dimRoundingMode);
  const dxT = backend.makeOutput(input.shape.slice(), 'float32');
  const x = backend.typedArrayFromHeap(input), g = backend.typedArrayFromHeap(dy), dx = backend.typedArrayFromHeap(dxT);
  dx.fill(0);
  const { batchSize:B, inHeight:H, inWidth:W, inChannels:C, outHeight:OH, outWidth:OW, strideHeight:sh, strideWidth:sw, filterHeight:KH, filterWidth:KW } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  let o=0;
  for (let b=0;b<B;b++){ const xb=b*H*W*C;
    for (let oh=0;oh<OH;oh++){ const h0=Math.max(0,oh*sh-pt), h1=Math.min(H,oh*sh-pt+KH);
      for (let ow=0;ow<OW;ow++){ const w0=Math.max(0,ow*sw-pl), w1=Math.min(W,ow*sw-pl+KW);
        for (let c=0;c<C;c++,o++){ let m=-Infinity, p=-1;
          for (let h=h0;h<h1;h++){ let i=xb+(h*W+w0)*C+c; for(let w=w0;w<w1;w++,i+=C){ const v=x[i]; if(v>m){m=v;p=i;} } }
          if (p>=0) dx[p]+=g[o];
        } } } }
  return dxT;
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
