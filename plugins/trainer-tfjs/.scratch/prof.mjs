const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
export function instrument(tf) {
  const acc = new Map();
  for (const k of tf.getKernelsForBackend('wasm')) {
    const f = k.kernelFunc; const name = k.kernelName;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...k, kernelFunc: (args) => { const t0 = cpuNow(); const r = f(args); const e = acc.get(name) ?? [0,0]; e[0] += cpuNow()-t0; e[1]++; acc.set(name, e); return r; } });
  }
  return { reset: () => acc.clear(), report: (steps) => [...acc.entries()].sort((a,b)=>b[1][0]-a[1][0]).map(([k,[t,n]])=>`${k}:${(t/steps).toFixed(2)}(${n/steps})`).join(' '), total: (steps)=>[...acc.values()].reduce((s,[t])=>s+t,0)/steps };
}
export { cpuNow };
