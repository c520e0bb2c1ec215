import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { WasmOps } from './wasm-ops.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { reductionConfigs } from './reductions.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop.js';

/** Backend kernels our kernels call; captured before any of them is replaced. */
const USED_KERNELS = [
  'AvgPool', 'BatchMatMul', 'Conv2D', 'DepthwiseConv2dNative', 'Mean', 'Multiply', 'PadV2',
  'Reverse', 'Slice', 'StridedSlice', 'Sum', 'Transpose',
] as const;

let registered: readonly string[] | null = null;

/**
 * Registers the training kernels that tfjs-backend-wasm 4.22 lacks (Conv2DBackpropFilter,
 * DepthwiseConv2dNativeBackpropFilter/Input) and faster replacements for the ones it implements
 * with scalar loops (Conv2DBackpropInput, MaxPoolGrad, transposed BatchMatMul, Sum and Mean over
 * leading axes). Idempotent; safe to call before or after the wasm backend initialises.
 *
 * @returns the names of the kernels registered for backend 'wasm'.
 */
export function registerWasmTrainingKernels(): readonly string[] {
  if (registered) return registered;
  const ops = new WasmOps(USED_KERNELS);
  const configs: KernelConfig[] = [
    conv2dBackpropFilterConfig(ops),
    conv2dBackpropInputConfig(ops),
    maxPoolGradConfig(),
    batchMatMulConfig(ops),
    ...reductionConfigs(ops),
    depthwiseBackpropInputConfig(ops),
    depthwiseBackpropFilterConfig(ops),
  ];
  for (const config of configs) {
    const existing = getKernel(config.kernelName, 'wasm');
    if (existing) {
      unregisterKernel(config.kernelName, 'wasm');
      // Replaced kernels keep their setup: the originals we call rely on it when the backend
      // initialises after this registration.
      registerKernel({ ...config, setupFunc: existing.setupFunc, disposeFunc: existing.disposeFunc });
    } else {
      registerKernel(config);
    }
  }
  registered = configs.map((c) => c.kernelName);
  return registered;
}
