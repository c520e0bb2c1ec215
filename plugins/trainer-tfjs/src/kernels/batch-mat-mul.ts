import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, heapF32, sizeOf, type WasmOps } from './wasm-ops.js';
import { repeatPattern } from './elementwise.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
}

interface FusedAttrs extends Attrs {
  activation?: string | null;
  leakyreluAlpha?: number;
}

/**
 * BatchMatMul for the wasm backend, for single (unbatched) float32 products: a dense layer's
 * forward pass and both of its gradients. tfjs 4.22 sends every product with a transposed operand
 * (all of a dense layer's backward pass) to a scalar C++ loop, and XNNPACK's fully-connected
 * operator re-packs its weights whenever they change (every training step). The products run in
 * our WebAssembly SIMD kernels (training-kernels.as) as 1x1 convolutions over the rows:
 * - a @ b: `conv2dValid` with a's M rows as pixels, b as the [K, N] filter;
 * - aT @ b (a weight gradient): `conv2dFilterGrad` with the K rows of a and b as pixels;
 * - a @ bT: b transposed first (it is the weight matrix: small), then as a @ b.
 * Batched products keep the original kernel.
 */
export function batchMatMulConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { a, b } = inputs;
    return matMul(backend, a, b, attrs) ?? ops.run(backend, 'BatchMatMul', { a, b }, attrs as unknown as NamedAttrMap);
  };
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * _FusedMatMul (a dense layer's forward pass: product, bias, activation) for the same products,
 * with a linear or ReLU activation; other activations and PReLU keep the original kernel.
 */
export function fusedMatMulConfig(ops: WasmOps): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo }; backend: BackendWasm; attrs: FusedAttrs }): TensorInfo => {
    const { a, b, bias, preluActivationWeights } = inputs;
    const activation = attrs.activation ?? 'linear';
    const supported = (activation === 'linear' || activation === 'relu') && !preluActivationWeights;
    const product = supported ? matMul(backend, a, b, attrs) : null;
    if (!product) return ops.run(backend, '_FusedMatMul', inputs as unknown as Record<string, TensorInfo>, attrs as unknown as NamedAttrMap);
    let out = product;
    if (bias) {
      const pattern = bias.dtype === 'float32' ? repeatPattern(product, bias) : null;
      if (pattern && pattern.big === product) {
        const p = pointer(backend, product);
        trainingKernels(backend).addBroadcast(p, pointer(backend, bias), p, sizeOf(product.shape), sizeOf(bias.shape));
      } else {
        out = ops.run(backend, 'Add', { a: product, b: bias });
        free(backend, product);
      }
    }
    if (activation === 'relu') {
      const activated = ops.run(backend, 'Relu', { x: out });
      free(backend, out);
      out = activated;
    }
    return out;
  };
  return { kernelName: '_FusedMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** The product on our kernels, or null when it is batched or not float32 (the caller falls back). */
function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, attrs: Attrs): TensorInfo | null {
  const { transposeA, transposeB } = attrs;
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const batched = sizeOf(a.shape.slice(0, -2)) !== 1 || sizeOf(b.shape.slice(0, -2)) !== 1;
  if (batched || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
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
  const batchShape = aRank >= bRank ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const out = allocF32(backend, [...batchShape, m, n]);
  if (m * n === 0) return out;
  const kernels = trainingKernels(backend);
  if (k === 0) {
    heapF32(backend, out).fill(0);
    return out;
  }
  const right = transposeB ? transposed(backend, b, bRows, bCols) : b;
  if (transposeA) {
    // out[i, j] = sum over r of a[r, i] * right[r, j]: a's rows and right's rows are the pixels.
    kernels.conv2dFilterGrad(pointer(backend, a), pointer(backend, right), pointer(backend, out), 1, 1, k, m, 1, k, n, 1, 1, 1, 1);
  } else {
    // out[i, j] = sum over r of a[i, r] * right[r, j]: a's rows are the pixels, right the filter.
    kernels.conv2dValid(pointer(backend, a), pointer(backend, right), pointer(backend, out), 1, 1, m, k, 1, m, n, 1, 1, 1, 1, 0, 1, 1);
  }
  if (right !== b) free(backend, right);
  return out;
}

function transposed(backend: BackendWasm, x: TensorInfo, rows: number, cols: number): TensorInfo {
  const out = allocF32(backend, [cols, rows]);
  trainingKernels(backend).transpose2d(pointer(backend, x), pointer(backend, out), rows, cols);
  return out;
}


