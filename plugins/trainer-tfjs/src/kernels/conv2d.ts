import { backend_util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, type WasmOps } from './wasm-ops.js';
import { padForValidWindow, type ConvPad, type Shape4 } from './conv-geometry.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

interface Attrs {
  strides: number | [number, number];
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Conv2D for the wasm backend, replacing XNNPACK's for undilated NHWC float32 convolutions.
 * tfjs-backend-wasm 4.22 re-creates (and re-packs) the XNNPACK operator whenever the filter
 * tensor changes, which in training is every step, and its small-channel kernels are slow: our
 * WebAssembly SIMD kernel (training-kernels.as: `conv2dValid`, the same one the input gradient
 * uses) takes about half the time on the convnets the search generates. A padding layer gets x
 * zero-padded first. Dilated or NCHW convolutions keep the original kernel.
 */
export function conv2dConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { x, filter } = inputs;
    const dilations = Array.isArray(attrs.dilations) ? attrs.dilations : [attrs.dilations ?? 1, attrs.dilations ?? 1];
    if (attrs.dataFormat !== 'NHWC' || dilations[0] !== 1 || dilations[1] !== 1 || x.dtype !== 'float32' || filter.dtype !== 'float32') {
      return ops.run(backend, 'Conv2D', { x, filter }, attrs as unknown as NamedAttrMap);
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as Shape4, filter.shape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
    );
    const padded = padForValidWindow(backend, x, info);
    const [B, XH, XW, C] = padded.shape as Shape4;
    const out = allocF32(backend, [...info.outShape]);
    trainingKernels(backend).conv2dValid(
      pointer(backend, padded), pointer(backend, filter), pointer(backend, out),
      B, XH, XW, C, info.outHeight, info.outWidth, info.outChannels,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, 0, XH, 1,
    );
    if (padded !== x) free(backend, padded);
    return out;
  };
  return { kernelName: 'Conv2D', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
