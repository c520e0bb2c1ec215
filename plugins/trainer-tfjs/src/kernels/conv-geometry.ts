import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { view, type WasmOps } from './wasm-ops.js';

export type Shape4 = [number, number, number, number];
export type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/**
 * Prepares an NHWC tensor for a stride-1-style convolution that must read exactly `rows` x `cols`
 * positions starting `top` rows above and `left` columns left of the tensor's first row/column:
 * returns explicit non-negative paddings, slicing the input first where the window starts or ends
 * inside it (XNNPACK takes no negative padding). `input` is `x` itself when nothing was sliced.
 */
export function windowWithPadding(
  ops: WasmOps, backend: BackendWasm, x: TensorInfo, top: number, left: number, rows: number, cols: number,
): { input: TensorInfo; pad: Array<[number, number]> } {
  const [n, h, w, c] = x.shape as Shape4;
  const bottom = rows - h - top;
  const right = cols - w - left;
  let input = x;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    const r0 = Math.max(-top, 0);
    const c0 = Math.max(-left, 0);
    const r1 = h + Math.min(bottom, 0);
    const c1 = w + Math.min(right, 0);
    input = ops.slice(backend, x, [0, r0, c0, 0], [n, r1 - r0, c1 - c0, c]);
  }
  return {
    input,
    pad: [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)], [0, 0]],
  };
}

/**
 * Inserts (stride-1) zeros after every row and column of an NHWC tensor:
 * [n, h, w, c] -> [n, h*sh, w*sw, c] (the trailing zeros are harmless extra padding).
 */
export function dilateWithZeros(ops: WasmOps, backend: BackendWasm, x: TensorInfo, sh: number, sw: number): TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  const padded = ops.pad(backend, view(x, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return view(padded, [n, h * sh, w * sw, c]);
}

/**
 * x zero-padded by the convolution's top/left padding and by as much bottom/right padding as its
 * windows reach past x, so that the convolution becomes "valid" on the result: `x` itself when
 * the layer does not pad (rows and columns no window reaches are simply never read).
 */
export function padForValidWindow(ops: WasmOps, backend: BackendWasm, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = Math.max(0, (OH - 1) * sh + info.effectiveFilterHeight - H - top);
  const right = Math.max(0, (OW - 1) * sw + info.effectiveFilterWidth - W - left);
  if (top === 0 && left === 0 && bottom === 0 && right === 0) return x;
  return ops.pad(backend, x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}
