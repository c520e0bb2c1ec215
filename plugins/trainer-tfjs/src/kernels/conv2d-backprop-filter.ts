import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { free, view, type WasmOps } from './wasm-ops.js';
import { windowWithPadding, type ConvPad, type Shape4 } from './conv-geometry.js';

interface Attrs {
  strides: number | [number, number];
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: Shape4;
}

/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 ships none).
 *
 * dW[kh,kw,ci,co] = sum over (b,oh,ow) of x[b, oh*sh+kh-pt, ow*sw+kw-pl, ci] * dy[b,oh,ow,co]
 * is itself a convolution, which runs on the backend's XNNPACK Conv2D: the input is x transposed
 * to [ci, H, W, b] (batch becomes channels), the filter is dy transposed to [oh, ow, b, co], the
 * stride is 1, the dilation is the forward stride and the padding is the forward padding. The
 * result [ci, kh, kw, co] is transposed to [kh, kw, ci, co].
 */
export function conv2dBackpropFilterConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
    if (dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const { inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
    const { filterHeight: KH, filterWidth: KW } = info;

    const xt = ops.transpose(backend, x, [3, 1, 2, 0]);
    // Rows the dilated "filter" dy reaches: KH + (OH-1)*sh, starting pt rows above x.
    const window = windowWithPadding(ops, backend, xt, info.padInfo.top, info.padInfo.left, KH + (OH - 1) * sh, KW + (OW - 1) * sw);
    const dyt = ops.transpose(backend, dy, [1, 2, 0, 3]);
    const out = ops.conv2d(backend, window.input, dyt, [1, 1], [sh, sw], window.pad);
    free(backend, dyt);
    if (window.input !== xt) free(backend, window.input);
    free(backend, xt);
    if (C === 1) return view(out, [...filterShape]);
    const dw = ops.transpose(backend, out, [1, 2, 0, 3]);
    free(backend, out);
    return dw;
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
