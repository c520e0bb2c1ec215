function mpg(x, g, dx, B,H,W,C,OH,OW,sh,sw,KH,KW,pt,pl){
  dx.fill(0);
  let o=0;
  for (let b=0;b<B;b++){ const xb=b*H*W*C;
    for (let oh=0;oh<OH;oh++){ const h0=Math.max(0,oh*sh-pt), h1=Math.min(H,oh*sh-pt+KH);
      for (let ow=0;ow<OW;ow++){ const w0=Math.max(0,ow*sw-pl), w1=Math.min(W,ow*sw-pl+KW);
        for (let c=0;c<C;c++,o++){ let m=-Infinity, p=-1;
          for (let h=h0;h<h1;h++){ let i=xb+(h*W+w0)*C+c; for(let w=w0;w<w1;w++,i+=C){ const v=x[i]; if(v>m){m=v;p=i;} } }
          if (p>=0) dx[p]+=g[o];
        } } } }
}
const x = new Float32Array(64*26*26*8).map(()=>Math.random()-0.5), dx = new Float32Array(x.length), g=new Float32Array(64*13*13*8).fill(1);
for (let r=0;r<5;r++){ const t0=performance.now(); for(let i=0;i<100;i++) mpg(x,g,dx,64,26,26,8,13,13,2,2,2,2,0,0); console.log(((performance.now()-t0)/100).toFixed(3)); }
