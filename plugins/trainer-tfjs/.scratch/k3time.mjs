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
