import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TRAINING_KERNELS_WASM_BASE64 } from './training-kernels.wasm.js';

/**
 * The exports of training-kernels.as (see that file for the math). Pointers are byte offsets
 * into the wasm backend's heap; every tensor is float32, NHWC and contiguous.
 */
export interface TrainingKernels {
  /** dw [kh, kw, c, co] (overwritten) = filter gradient of the valid convolution x -> dy. */
  conv2dFilterGrad(
    x: number, dy: number, dw: number,
    batch: number, xh: number, xw: number, c: number,
    oh: number, ow: number, co: number,
    kh: number, kw: number, sh: number, sw: number,
  ): void;
  /**
   * out [batch, oh, ow, co] = valid convolution of x [batch, xh, xw, c] with w [kh, kw, c, co];
   * only x rows rowLo, rowLo + rowStep, ... below rowHi are read (the others must be zeros).
   */
  conv2dValid(
    x: number, w: number, out: number,
    batch: number, xh: number, xw: number, c: number,
    oh: number, ow: number, co: number,
    kh: number, kw: number, sh: number, sw: number,
    rowLo: number, rowHi: number, rowStep: number,
  ): void;
  /** dx [batch, h, w, c] (overwritten): each dy to the first maximum of its window. */
  maxPoolGrad(
    x: number, y: number, dy: number, dx: number,
    batch: number, h: number, w: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, pt: number, pl: number,
  ): void;
  /** y [batch, oh, ow, c] = window maxima of x [batch, h, w, c]; c a multiple of 4. */
  maxPool(
    x: number, y: number,
    batch: number, h: number, w: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, pt: number, pl: number,
  ): void;
  /** out [batch, oh, ow, c] = zeros with x [batch, h, w, c] placed at (top + i*sh, left + j*sw). */
  spreadPad(
    x: number, out: number,
    batch: number, h: number, w: number, c: number, oh: number, ow: number,
    top: number, left: number, sh: number, sw: number,
  ): void;
  /** out [cols, rows] = x [rows, cols] transposed. */
  transpose2d(x: number, out: number, rows: number, cols: number): void;
  /** out [outer, inner] = scale * sums over rows of x [outer, rows, inner]. */
  sumRows(x: number, out: number, outer: number, rows: number, inner: number, scale: number): void;
  /** out[i] = a[i] + b[i % nb], i < n (nb divides n). */
  addBroadcast(a: number, b: number, out: number, n: number, nb: number): void;
  /** out[i] = a[i] * b[i % nb], i < n (nb divides n). */
  multiplyBroadcast(a: number, b: number, out: number, n: number, nb: number): void;
  /** out[i] = NaN for NaN, 1 where x[i] > 0, else alpha. */
  step(x: number, out: number, n: number, alpha: number): void;
}

/** The few WebAssembly JS API members used here (this package compiles without the DOM lib). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface EmscriptenExports {
  asm?: { memory?: unknown };
}

let compiled: object | null = null;
const instances = new WeakMap<BackendWasm, TrainingKernels>();

/**
 * The training kernels instantiated on `backend`'s own memory (one instance per backend, made on
 * first use). They read and write tensors in place: no copy in or out of the backend's heap.
 */
export function trainingKernels(backend: BackendWasm): TrainingKernels {
  const existing = instances.get(backend);
  if (existing) return existing;
  const memory = (backend.wasm as unknown as EmscriptenExports).asm?.memory;
  if (!(memory instanceof wasmApi.Memory)) {
    throw new Error('The wasm backend does not expose its WebAssembly.Memory (module.asm.memory); the training kernels need @tensorflow/tfjs-backend-wasm 4.22.');
  }
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) {
    throw new Error('The wasm backend runs its multi-threaded build; the training kernels support the single-threaded one: call setThreadsCount(1) before the backend initialises.');
  }
  compiled ??= new wasmApi.Module(Buffer.from(TRAINING_KERNELS_WASM_BASE64, 'base64'));
  const instance = new wasmApi.Instance(compiled, { env: { memory } });
  const kernels = instance.exports as unknown as TrainingKernels;
  instances.set(backend, kernels);
  return kernels;
}

/** Byte offset of a tensor's data in the backend's heap. */
export function pointer(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('internal: tensor data is not on the wasm backend');
  return data.memoryOffset;
}
