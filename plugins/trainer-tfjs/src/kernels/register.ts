import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { WasmOps } from './wasm-ops.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { batchMatMulConfig, fusedMatMulConfig } from './batch-mat-mul.js';
import { reductionConfigs } from './reductions.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop.js';
import { conv2dConfig } from './conv2d.js';
import { identityConfigs } from './identity.js';
import { elementwiseConfigs } from './elementwise.js';
import { maxPoolConfig } from './max-pool.js';

/** Backend kernels our kernels call; captured before any of them is replaced. */
const USED_KERNELS = [
  'Add', 'AvgPool', 'BatchMatMul', 'Cast', 'Conv2D', 'DepthwiseConv2dNative', 'Identity', 'MaxPool',
  'Mean', 'Multiply', 'NotEqual', 'Relu', 'Reverse', 'Step', 'StridedSlice', 'Sum', '_FusedMatMul',
] as const;

let registered: readonly string[] | null = null;

/**
 * Registers the training kernels that tfjs-backend-wasm 4.22 lacks (Conv2DBackpropFilter,
 * DepthwiseConv2dNativeBackpropFilter/Input) and faster replacements for the ones that are slow
 * in training (Conv2D, Conv2DBackpropInput, MaxPool, MaxPoolGrad, transposed BatchMatMul, Sum and
 * Mean over leading axes, Add, Multiply, Step, Identity, Cast). Idempotent; safe to call before
 * or after the wasm backend initialises.
 *
 * @returns the names of the kernels registered for backend 'wasm'.
 */
export function registerWasmTrainingKernels(): readonly string[] {
  if (registered) return registered;
  const ops = new WasmOps(USED_KERNELS);
  const configs: KernelConfig[] = [
    conv2dBackpropFilterConfig(),
    conv2dBackpropInputConfig(),
    maxPoolGradConfig(),
    batchMatMulConfig(ops),
    fusedMatMulConfig(ops),
    ...reductionConfigs(ops),
    depthwiseBackpropInputConfig(ops),
    depthwiseBackpropFilterConfig(ops),
    conv2dConfig(ops),
    maxPoolConfig(ops),
    ...identityConfigs(ops),
    ...elementwiseConfigs(ops),
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
