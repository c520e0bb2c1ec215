import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { free, type WasmOps } from './wasm-ops.js';

/** The same data under a new reference (tfjs tensors are immutable; Reshape does the same). */
function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Identity and Cast for the wasm backend. tfjs-backend-wasm 4.22 copies the tensor for both, even
 * when Cast keeps the type (the cpu backend shares it): gradients call them on every activation,
 * which cost a training step several copies of its largest tensors. We share the data instead.
 * Casts to bool compare with zero (the original kernel truncates: 2.0 became 2, 256 became 0);
 * other conversions and string tensors keep the original kernels.
 */
export function identityConfigs(ops: WasmOps): KernelConfig[] {
  const identity = ({ inputs, backend }: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo =>
    inputs.x.dtype === 'string' ? ops.run(backend, 'Identity', inputs) : share(backend, inputs.x);
  const cast = ({ inputs, backend, attrs }: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: { dtype: DataType } }): TensorInfo => {
    const { x } = inputs;
    if (x.dtype === attrs.dtype && x.dtype !== 'string') return share(backend, x);
    if (attrs.dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
      const zero = backend.makeOutput([], x.dtype, undefined, x.dtype === 'int32' ? new Int32Array(1) : new Float32Array(1));
      const out = ops.run(backend, 'NotEqual', { a: x, b: zero });
      free(backend, zero);
      return out;
    }
    return ops.run(backend, 'Cast', inputs, attrs as unknown as NamedAttrMap);
  };
  return [
    { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity as unknown as KernelFunc },
    { kernelName: 'Cast', backendName: 'wasm', kernelFunc: cast as unknown as KernelFunc },
  ];
}
