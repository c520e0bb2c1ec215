import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, sizeOf, type WasmOps } from './wasm-ops.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

/**
 * Add and Multiply of float32 tensors, and Step, for the wasm backend. tfjs-backend-wasm 4.22 runs
 * them as scalar C++ loops that compute every element's broadcast index; in a convnet's training
 * step the bias additions (x + b over the channel axis) and the ReLU gradient (dy * step(x)) cost
 * more than some convolutions. Our WebAssembly SIMD kernels (training-kernels.as) handle the
 * patterns training produces: equal shapes, a scalar, or trailing dimensions repeated over
 * leading ones (a bias). Everything else keeps the original kernels.
 */
export function elementwiseConfigs(ops: WasmOps): KernelConfig[] {
  const binary = (kernelName: 'Add' | 'Multiply') => {
    const kernelFunc = ({ inputs, backend }: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm }): TensorInfo => {
      const { a, b } = inputs;
      const pattern = a.dtype === 'float32' && b.dtype === 'float32' ? repeatPattern(a, b) : null;
      if (!pattern) return ops.run(backend, kernelName, { a, b });
      const { big, small } = pattern;
      const out = allocF32(backend, [...big.shape]);
      const kernels = trainingKernels(backend);
      const run = kernelName === 'Add' ? kernels.addBroadcast : kernels.multiplyBroadcast;
      run(pointer(backend, big), pointer(backend, small), pointer(backend, out), sizeOf(big.shape), sizeOf(small.shape));
      return out;
    };
    return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
  };
  const step = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: { alpha: number } }): TensorInfo => {
    const { x } = inputs;
    if (x.dtype !== 'float32' || sizeOf(x.shape) === 0) return ops.run(backend, 'Step', { x }, attrs as unknown as NamedAttrMap);
    const out = allocF32(backend, [...x.shape]);
    trainingKernels(backend).step(pointer(backend, x), pointer(backend, out), sizeOf(x.shape), attrs.alpha ?? 0);
    return out;
  };
  return [binary('Add'), binary('Multiply'), { kernelName: 'Step', backendName: 'wasm', kernelFunc: step as unknown as KernelFunc }];
}

/**
 * Which operand repeats inside the other: `small`'s shape, without leading 1s, must be the
 * trailing dimensions of `big`'s (equal shapes and scalars included), so that the result has
 * `big`'s shape and small[i % size(small)] pairs with big[i]. Null for any other broadcast.
 */
export function repeatPattern(a: TensorInfo, b: TensorInfo): { big: TensorInfo; small: TensorInfo } | null {
  if (sizeOf(a.shape) === 0 || sizeOf(b.shape) === 0) return null;
  if (isTrailing(b.shape, a.shape)) return { big: a, small: b };
  if (isTrailing(a.shape, b.shape)) return { big: b, small: a };
  return null;
}

function isTrailing(small: readonly number[], big: readonly number[]): boolean {
  if (small.length > big.length) return false;
  let first = 0;
  while (first < small.length && small[first] === 1) first++;
  const core = small.slice(first);
  const offset = big.length - core.length;
  return core.every((d, i) => d === big[offset + i]);
}
