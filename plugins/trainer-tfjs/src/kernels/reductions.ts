import { util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, heapF32, sizeOf, view, type WasmOps } from './wasm-ops.js';

interface Attrs {
  axis: number | number[] | null;
  keepDims: boolean;
}

/**
 * Sum and Mean for the wasm backend over a block of axes that excludes the last one (bias and
 * batch-norm gradients reduce [batch, height, width] of NHWC tensors; global average pooling
 * reduces [height, width]). tfjs 4.22 transposes the whole tensor first and then reduces; XNNPACK's
 * average pooling does it in one streaming pass: the tensor is viewed as
 * [outer, rows, cols, inner] and pooled over [rows, cols]. Other reductions keep the original.
 */
export function reductionConfigs(ops: WasmOps): KernelConfig[] {
  return (['Sum', 'Mean'] as const).map((kernelName) => {
    const kernelFunc = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
      const { x } = inputs;
      const block = reducedBlock(x.shape, attrs.axis);
      if (x.dtype !== 'float32' || block === null) {
        return ops.run(backend, kernelName, { x }, attrs as unknown as NamedAttrMap);
      }
      const { outer, rows, cols, inner, outShape } = block;
      const pooled = ops.run(backend, 'AvgPool', { x: view(x, [outer, rows, cols, inner]) }, {
        filterSize: [rows, cols], strides: [rows, cols], pad: 'valid',
      });
      let result = pooled;
      if (kernelName === 'Sum') {
        const count = allocF32(backend, [1]);
        heapF32(backend, count)[0] = rows * cols;
        result = ops.multiply(backend, pooled, count);
        free(backend, count);
        free(backend, pooled);
      }
      return view(result, attrs.keepDims ? keptShape(x.shape, block.axes) : outShape);
    };
    return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
  });
}

interface Block {
  axes: number[];
  outer: number;
  rows: number;
  cols: number;
  inner: number;
  outShape: number[];
}

/** The reduced axes as [outer, rows, cols, inner] when they are contiguous, exclude the last axis and pool more than one element. */
function reducedBlock(shape: readonly number[], axis: number | number[] | null): Block | null {
  const rank = shape.length;
  // null means every axis, as in the kernel's contract.
  const all = shape.map((_, i) => i);
  const axes = [...new Set(axis === null || axis === undefined ? all : util.parseAxisParam(axis, [...shape]))].sort((p, q) => p - q);
  if (axes.length === 0 || rank < 2) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 !== axes.length || last >= rank - 1) return null;
  const rows = sizeOf(shape.slice(first, last));
  const cols = shape[last]!;
  if (rows * cols <= 1) return null;
  return {
    axes,
    outer: sizeOf(shape.slice(0, first)),
    rows,
    cols,
    inner: sizeOf(shape.slice(last + 1)),
    outShape: shape.filter((_, i) => i < first || i > last),
  };
}

function keptShape(shape: readonly number[], axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
