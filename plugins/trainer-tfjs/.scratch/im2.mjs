function im2colT(x, out, B,H,W,C,OH,OW,sh,sw,dh,dw,KH,KW,pt,pl) {
  let o=0; const HWC=H*W*C, WC=W*C, step=sw*C;
  for (let kh=0;kh<KH;kh++) for (let kw=0;kw<KW;kw++) {
    const iw0 = kw*dw-pl;
    // valid ow: 0 <= iw0 + ow*sw < W
    let lo = iw0 >= 0 ? 0 : Math.ceil(-iw0/sw); let hi = Math.min(OW, Math.floor((W-1-iw0)/sw)+1); if (hi<lo) hi=lo;
    for (let c=0;c<C;c++) {
    for (let b=0;b<B;b++){ const xb=b*HWC+c+iw0*C;
      for (let oh=0;oh<OH;oh++){ const ih=oh*sh-pt+kh*dh;
        if (ih<0||ih>=H){ for(let k=0;k<OW;k++) out[o+k]=0; o+=OW; continue; }
        for (let k=0;k<lo;k++) out[o+k]=0;
        let idx = xb+ih*WC+lo*step;
        const end = o+hi;
        for (let q=o+lo; q<end; q++, idx+=step) out[q]=x[idx];
        for (let k=hi;k<OW;k++) out[o+k]=0;
        o+=OW;
      } } } }
}
function bench(name, f){ let best=1e9; for(let r=0;r<7;r++){ const t0=performance.now(); for(let i=0;i<50;i++) f(); best=Math.min(best,(performance.now()-t0)/50);} console.log(name, best.toFixed(3)); }
const x1 = new Float32Array(64*28*28).map(Math.random), o1 = new Float32Array(9*64*26*26);
const x2 = new Float32Array(64*13*13*8).map(Math.random), o2 = new Float32Array(72*64*11*11);
bench('im2colT conv1', ()=>im2colT(x1,o1,64,28,28,1,26,26,1,1,1,1,3,3,0,0));
bench('im2colT conv2', ()=>im2colT(x2,o2,64,13,13,8,11,11,1,1,1,1,3,3,0,0));
