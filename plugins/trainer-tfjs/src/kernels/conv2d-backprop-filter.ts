import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free } from './wasm-ops.js';
import { padForValidWindow, type ConvPad, type Shape4 } from './conv-geometry.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

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
 * runs in our WebAssembly SIMD kernel (training-kernels.as: `conv2dFilterGrad`), reading x and dy
 * in place on the backend's heap. Expressing it as an XNNPACK convolution instead (x and dy
 * transposed, dy as the filter) cost more than the forward pass: XNNPACK re-packs its filter on
 * every call, here a fresh dy every step. A padding layer gets x zero-padded first.
 */
export function conv2dBackpropFilterConfig(): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
    if (dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const padded = padForValidWindow(backend, x, info);
    const [B, XH, XW, C] = padded.shape as Shape4;
    const dw = allocF32(backend, [...filterShape]);
    trainingKernels(backend).conv2dFilterGrad(
      pointer(backend, padded), pointer(backend, dy), pointer(backend, dw),
      B, XH, XW, C, info.outHeight, info.outWidth, info.outChannels,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    );
    if (padded !== x) free(backend, padded);
    return dw;
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
