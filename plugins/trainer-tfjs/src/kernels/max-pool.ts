import { backend_util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, type WasmOps } from './wasm-ops.js';
import type { ConvPad, Shape4 } from './conv-geometry.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPool for the wasm backend on float32 tensors whose channel count is a multiple of 4.
 * tfjs-backend-wasm 4.22's XNNPACK max pooling sets its operator up again for every new input
 * tensor, costing more than the pooling on a training batch; our WebAssembly SIMD loop
 * (training-kernels.as: `maxPool`) pools four channels at a time. Other shapes keep the original.
 */
export function maxPoolConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { x } = inputs;
    const channels = x.shape[3] ?? 0;
    if (x.dtype !== 'float32' || x.shape.length !== 4 || channels % 4 !== 0) {
      return ops.run(backend, 'MaxPool', { x }, attrs as unknown as NamedAttrMap);
    }
    const info = backend_util.computePool2DInfo(
      x.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const y = allocF32(backend, [...info.outShape]);
    if (info.outHeight * info.outWidth * info.batchSize * channels === 0) return y;
    trainingKernels(backend).maxPool(
      pointer(backend, x), pointer(backend, y),
      info.batchSize, info.inHeight, info.inWidth, channels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
    );
    return y;
  };
  return { kernelName: 'MaxPool', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
