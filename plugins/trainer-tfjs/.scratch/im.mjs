function im2colT(x, out, B,H,W,C,OH,OW,sh,sw,dh,dw,KH,KW,pt,pl) {
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
function bench(name, f){ let best=1e9; for(let r=0;r<7;r++){ const t0=performance.now(); for(let i=0;i<50;i++) f(); best=Math.min(best,(performance.now()-t0)/50);} console.log(name, best.toFixed(3)); }
const x1 = new Float32Array(64*28*28).map(Math.random), o1 = new Float32Array(9*64*26*26);
const x2 = new Float32Array(64*13*13*8).map(Math.random), o2 = new Float32Array(72*64*11*11);
bench('im2colT conv1', ()=>im2colT(x1,o1,64,28,28,1,26,26,1,1,1,1,3,3,0,0));
bench('im2colT conv2', ()=>im2colT(x2,o2,64,13,13,8,11,11,1,1,1,1,3,3,0,0));
bench('copy 557k', ()=>o2.set(o1.subarray(0,o2.length)));
