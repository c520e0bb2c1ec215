import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32 } from './wasm-ops.js';
import type { ConvPad, Shape4 } from './conv-geometry.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPoolGrad for the wasm backend, replacing tfjs 4.22's scalar C++ loop (about ten times
 * slower). Each output's gradient goes to the first position of its window, in row-major order,
 * that holds the window's maximum: the cpu backend's rule. Runs in our WebAssembly kernel
 * (training-kernels.as: `maxPoolGrad`): the forward output y tells it the maximum, so most
 * windows stop at their first or second element, and a zero gradient (common after ReLU) skips
 * its window entirely.
 */
export function maxPoolGradConfig(): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { dy, input, output } = inputs;
    const info = backend_util.computePool2DInfo(
      input.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const dx = allocF32(backend, [...input.shape]);
    trainingKernels(backend).maxPoolGrad(
      pointer(backend, input), pointer(backend, output), pointer(backend, dy), pointer(backend, dx),
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
    );
    return dx;
  };
  return { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
