import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32 } from './wasm-ops.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

export type Shape4 = [number, number, number, number];
export type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/**
 * A zero tensor [n, outH, outW, c] holding x [n, h, w, c] with its pixel (i, j) at
 * (top + i*sh, left + j*sw): padding, and for sh/sw > 1 the zeros between an input gradient's
 * pixels, in one pass of our WebAssembly kernel (XNNPACK's PadV2 costs several times more).
 * Negative top/left crop x; pixels landing past outH/outW are dropped.
 */
export function spreadPad(
  backend: BackendWasm, x: TensorInfo, top: number, left: number, outH: number, outW: number, sh = 1, sw = 1,
): TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  const out = allocF32(backend, [n, outH, outW, c]);
  trainingKernels(backend).spreadPad(pointer(backend, x), pointer(backend, out), n, h, w, c, outH, outW, top, left, sh, sw);
  return out;
}

/**
 * x zero-padded by the convolution's top/left padding and by as much bottom/right padding as its
 * windows reach past x, so that the convolution becomes "valid" on the result: `x` itself when
 * the layer does not pad (rows and columns no window reaches are simply never read).
 */
export function padForValidWindow(backend: BackendWasm, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = Math.max(0, (OH - 1) * sh + info.effectiveFilterHeight - H - top);
  const right = Math.max(0, (OW - 1) * sw + info.effectiveFilterWidth - W - left);
  if (top === 0 && left === 0 && bottom === 0 && right === 0) return x;
  return spreadPad(backend, x, top, left, top + H + bottom, left + W + right);
}
