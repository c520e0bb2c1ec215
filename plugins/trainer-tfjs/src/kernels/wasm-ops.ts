import { getKernel, type DataType, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Direct access to the wasm backend's own kernels and heap, for kernels we register ourselves.
 *
 * Our kernels never loop over large tensors in JavaScript (several times slower than wasm here):
 * they call our WebAssembly SIMD module (../wasm/training-kernels.ts) or recombine the backend's
 * own kernels (XNNPACK depthwise convolution, average pooling, ...), which this class captures
 * before any of them is replaced. Every method returns a fresh TensorInfo that the caller must
 * `free` (views excepted).
 */
export class WasmOps {
  private readonly kernels = new Map<string, KernelFunc>();

  /** Captures the backend's current kernels; call before replacing any of them. */
  constructor(names: readonly string[]) {
    for (const name of names) {
      const config = getKernel(name, 'wasm');
      if (!config) throw new Error(`The wasm backend has no '${name}' kernel; is @tensorflow/tfjs-backend-wasm 4.22 installed?`);
      this.kernels.set(name, config.kernelFunc);
    }
  }

  run(backend: BackendWasm, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = this.kernels.get(name);
    if (!kernel) throw new Error(`internal: wasm kernel '${name}' was not captured`);
    const out = kernel({ inputs, backend, attrs });
    if (Array.isArray(out)) throw new Error(`internal: wasm kernel '${name}' returned several outputs`);
    return out;
  }

  reverse(backend: BackendWasm, x: TensorInfo, dims: number[]): TensorInfo {
    return this.run(backend, 'Reverse', { x }, { dims });
  }

  depthwiseConv2d(
    backend: BackendWasm, x: TensorInfo, filter: TensorInfo,
    strides: [number, number], pad: 'valid' | Array<[number, number]>,
  ): TensorInfo {
    return this.run(backend, 'DepthwiseConv2dNative', { x, filter }, { strides, dilations: [1, 1], pad, dataFormat: 'NHWC' } as unknown as NamedAttrMap);
  }

  multiply(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run(backend, 'Multiply', { a, b });
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A float32 view of a tensor's data on the wasm heap. Re-take views after every allocation. */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Allocates a float32 tensor on the wasm heap (contents undefined until written). */
export function allocF32(backend: BackendWasm, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32' as DataType);
}

/** The same data with another shape: no copy and no reference taken, so never `free` a view. */
export function view(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

export function free(backend: BackendWasm, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}
