import { util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, sizeOf, type WasmOps } from './wasm-ops.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

interface Attrs {
  axis: number | number[] | null;
  keepDims: boolean;
}

/**
 * Sum and Mean for the wasm backend over a block of axes that excludes the last one (bias and
 * batch-norm gradients reduce [batch, height, width] of NHWC tensors; global average pooling
 * reduces [height, width]). tfjs 4.22 transposes the whole tensor first and then reduces; our
 * WebAssembly SIMD kernel (training-kernels.as: `sumRows`) streams over the tensor once, viewed as
 * [outer, rows, inner] with rows the reduced axes. Other reductions keep the original kernels.
 */
export function reductionConfigs(ops: WasmOps): KernelConfig[] {
  return (['Sum', 'Mean'] as const).map((kernelName) => {
    const kernelFunc = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
      const { x } = inputs;
      const block = reducedBlock(x.shape, attrs.axis);
      if (x.dtype !== 'float32' || block === null) {
        return ops.run(backend, kernelName, { x }, attrs as unknown as NamedAttrMap);
      }
      const { outer, count, inner, outShape } = block;
      const out = allocF32(backend, attrs.keepDims ? keptShape(x.shape, block.axes) : outShape);
      trainingKernels(backend).sumRows(pointer(backend, x), pointer(backend, out), outer, count, inner, kernelName === 'Sum' ? 1 : 1 / count);
      return out;
    };
    return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
  });
}

interface Block {
  axes: number[];
  /** Elements before, in and after the reduced axes. */
  outer: number;
  count: number;
  inner: number;
  outShape: number[];
}

/** The reduced axes as [outer, count, inner] when they are contiguous, exclude the last axis and reduce more than one element. */
function reducedBlock(shape: readonly number[], axis: number | number[] | null): Block | null {
  const rank = shape.length;
  // null means every axis, as in the kernel's contract.
  const all = shape.map((_, i) => i);
  const axes = [...new Set(axis === null || axis === undefined ? all : util.parseAxisParam(axis, [...shape]))].sort((p, q) => p - q);
  if (axes.length === 0 || rank < 2) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 !== axes.length || last >= rank - 1) return null;
  const count = sizeOf(shape.slice(first, last + 1));
  if (count <= 1) return null;
  return {
    axes,
    outer: sizeOf(shape.slice(0, first)),
    count,
    inner: sizeOf(shape.slice(last + 1)),
    outShape: shape.filter((_, i) => i < first || i > last),
  };
}

function keptShape(shape: readonly number[], axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
