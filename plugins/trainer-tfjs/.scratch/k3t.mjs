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
function time(name, f, n=100){ f(); const t0=performance.now(); for(let i=0;i<n;i++) tf.tidy(()=>{ f(); }); console.log(name, ((performance.now()-t0)/n).toFixed(3),'ms'); }
const x1 = tf.randomNormal([64,28,28,1]), dy1 = tf.randomNormal([64,26,26,8]);
const x2 = tf.randomNormal([64,13,13,8]), dy2 = tf.randomNormal([64,11,11,16]);
const w2 = tf.randomNormal([3,3,8,16]);
time('relu', ()=>tf.relu(x2));
time('bpf1', ()=>tf.engine().runKernel('Conv2DBackpropFilter',{x:x1,dy:dy1},{strides:[1,1],pad:'valid',dataFormat:'NHWC',dimRoundingMode:undefined,filterShape:[3,3,1,8]}));
time('bpf2', ()=>tf.engine().runKernel('Conv2DBackpropFilter',{x:x2,dy:dy2},{strides:[1,1],pad:'valid',dataFormat:'NHWC',dimRoundingMode:undefined,filterShape:[3,3,8,16]}));
time('bpi2', ()=>tf.engine().runKernel('Conv2DBackpropInput',{dy:dy2,filter:w2},{strides:[1,1],pad:'valid',dataFormat:'NHWC',dimRoundingMode:undefined,inputShape:[64,13,13,8]}));
time('mpg', ()=>tf.engine().runKernel('MaxPoolGrad',{dy:x2,input:dy1,output:x2},{filterSize:2,strides:2,pad:'valid'}));
time('maxpool fwd', ()=>tf.maxPool(dy1,2,2,'valid'));
time('conv1 fwd', ()=>tf.conv2d(x1,tf.randomNormal([3,3,1,8]),1,'valid'));
time('conv2 fwd', ()=>tf.conv2d(x2,w2,1,'valid'));
const a = tf.randomNormal([64,1936]), d = tf.randomNormal([64,10]), wd = tf.randomNormal([1936,10]);
time('dense fwd', ()=>tf.matMul(a,wd));
time('dense dW a^T@dy', ()=>tf.matMul(a,d,true,false));
time('dense dX dy@W^T', ()=>tf.matMul(d,wd,false,true));
