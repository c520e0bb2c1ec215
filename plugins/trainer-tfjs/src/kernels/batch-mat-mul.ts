import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { free, sizeOf, view, type WasmOps } from './wasm-ops.js';

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * BatchMatMul for the wasm backend: tfjs 4.22 sends every product with a transposed operand (all
 * of a dense layer's backward pass) to a scalar C++ loop. We transpose the operand explicitly
 * with the backend's Transpose kernel and run the product on XNNPACK. Batched products keep the
 * original kernel.
 */
export function batchMatMulConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { a, b } = inputs;
    const { transposeA, transposeB } = attrs;
    const aRank = a.shape.length;
    const bRank = b.shape.length;
    const batched = sizeOf(a.shape.slice(0, -2)) !== 1 || sizeOf(b.shape.slice(0, -2)) !== 1;
    if (batched || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return ops.run(backend, 'BatchMatMul', { a, b }, { transposeA, transposeB });
    }
    const aRows = a.shape[aRank - 2]!;
    const aCols = a.shape[aRank - 1]!;
    const bRows = b.shape[bRank - 2]!;
    const bCols = b.shape[bRank - 1]!;
    const m = transposeA ? aCols : aRows;
    const k = transposeA ? aRows : aCols;
    const n = transposeB ? bRows : bCols;
    const kB = transposeB ? bCols : bRows;
    if (k !== kB) {
      throw new Error(`Error in matMul: inner shapes (${k}) and (${kB}) of tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
    }
    const left = transposeA ? ops.transpose(backend, view(a, [aRows, aCols]), [1, 0]) : a;
    const right = transposeB ? ops.transpose(backend, view(b, [bRows, bCols]), [1, 0]) : b;
    const out = ops.matMul(backend, left, right, m, k, n);
    if (left !== a) free(backend, left);
    if (right !== b) free(backend, right);
    const batchShape = aRank >= bRank ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
    return view(out, [...batchShape, m, n]);
  };
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
