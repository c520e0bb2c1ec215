import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, heapF32, view, type WasmOps } from './wasm-ops.js';
import { spreadPad, type ConvPad, type Shape4 } from './conv-geometry.js';

interface Attrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function assertUndilated(kernel: string, dilations: number | [number, number] | undefined): void {
  const [dh, dw] = Array.isArray(dilations) ? dilations : [dilations ?? 1, dilations ?? 1];
  if (dh !== 1 || dw !== 1) {
    throw new Error(`${kernel} on wasm supports dilations of 1 only (as do tfjs gradients), got [${dh}, ${dw}].`);
  }
}

/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend (tfjs 4.22 ships none).
 *
 * Like a regular convolution's input gradient, it is a "full" depthwise convolution of dy
 * (zero-padded, and spread with zeros for strided layers, in one pass of our WebAssembly kernel)
 * with the flipped filter, run on XNNPACK's depthwise kernel over all channels*multiplier
 * channels; a multiplier > 1 then sums each input channel's outputs.
 */
export function depthwiseBackpropInputConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Attrs & { inputShape: Shape4 } }): TensorInfo => {
    const { dy, filter } = inputs;
    assertUndilated('DepthwiseConv2dNativeBackpropInput', attrs.dilations);
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape, filter.shape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, true,
    );
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, strideHeight: sh, strideWidth: sw } = info;
    const { filterHeight: KH, filterWidth: KW } = info;
    const M = filter.shape[3]!;

    const reversed = ops.reverse(backend, filter, [0, 1]);
    const flipped = view(reversed, [KH, KW, C * M, 1]);
    const padded = spreadPad(backend, dy, KH - 1 - info.padInfo.top, KW - 1 - info.padInfo.left, H + KH - 1, W + KW - 1, sh, sw);
    const perOutput = ops.depthwiseConv2d(backend, padded, flipped, [1, 1], 'valid');
    free(backend, padded);
    free(backend, reversed);
    if (M === 1) return perOutput;
    const dx = ops.run(backend, 'Sum', { x: view(perOutput, [B, H, W, C, M]) }, { axis: [4], keepDims: false });
    free(backend, perOutput);
    return view(dx, [B, H, W, C]);
  };
  return { kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend (tfjs 4.22 ships none).
 *
 * dW[kh,kw,c,m] = sum over (b,oh,ow) of x[b, oh*sh+kh-pt, ow*sw+kw-pl, c] * dy[b,oh,ow,c*M+m].
 * For each filter tap we take the (strided) slice of the padded input that the tap sees, multiply
 * it by dy and sum over batch and space with XNNPACK's average pooling: three streaming passes per
 * tap, all in the backend's SIMD code.
 */
export function depthwiseBackpropFilterConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendWasm; attrs: Attrs & { filterShape: Shape4 } }): TensorInfo => {
    const { x, dy } = inputs;
    assertUndilated('DepthwiseConv2dNativeBackpropFilter', attrs.dilations);
    const info = backend_util.computeConv2DInfo(
      x.shape as Shape4, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, true,
    );
    return filterGradientByTaps(ops, backend, x, dy, info, attrs.filterShape);
  };
  return { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * dW[kh,kw,c,m] = sum over (b,oh,ow) of x[b, oh*sh+kh-pt, ow*sw+kw-pl, c] * dy[b,oh,ow,c*M+m],
 * one filter tap at a time: slice, multiply, average-pool, all in the backend's C++ (correct for
 * every shape; slower per element than the XNNPACK paths of the regular convolution).
 */
export function filterGradientByTaps(
  ops: WasmOps, backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, filterShape: Shape4,
): TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;
  const M = filterShape[3];
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const bottom = Math.max(0, (OH - 1) * sh + KH - H - pt);
  const right = Math.max(0, (OW - 1) * sw + KW - W - pl);
  const padded = pt > 0 || pl > 0 || bottom > 0 || right > 0
    ? spreadPad(backend, x, pt, pl, pt + H + bottom, pl + W + right)
    : x;

  const out = allocF32(backend, [...filterShape]);
  const count = allocF32(backend, [1]);
  heapF32(backend, count)[0] = B * OH * OW;
  const dyChannels = view(dy, [B, OH, OW, C, M]);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const seen = ops.run(backend, 'StridedSlice', { x: padded }, {
        begin: [0, kh, kw, 0], end: [B, kh + (OH - 1) * sh + 1, kw + (OW - 1) * sw + 1, C], strides: [1, sh, sw, 1],
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      });
      const product = ops.multiply(backend, view(seen, [B, OH, OW, C, 1]), dyChannels);
      free(backend, seen);
      const mean = ops.run(backend, 'AvgPool', { x: view(product, [1, B * OH, OW, C * M]) }, {
        filterSize: [B * OH, OW], strides: [B * OH, OW], pad: 'valid',
      });
      free(backend, product);
      const sum = ops.multiply(backend, mean, count);
      free(backend, mean);
      heapF32(backend, out).set(heapF32(backend, sum), (kh * KW + kw) * C * M);
      free(backend, sum);
    }
  }
  free(backend, count);
  if (padded !== x) free(backend, padded);
  return out;
}
