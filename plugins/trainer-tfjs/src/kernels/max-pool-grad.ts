import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, heapF32 } from './wasm-ops.js';
import type { ConvPad, Shape4 } from './conv-geometry.js';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPoolGrad for the wasm backend, replacing tfjs 4.22's scalar C++ loop (about ten times
 * slower). Each output's gradient goes to the first position of its window, in row-major order,
 * that holds the window's maximum: the cpu backend's rule. The forward output y tells us that
 * maximum, so most windows stop at their first or second element, and a zero gradient (common
 * after ReLU) skips its window entirely.
 */
export function maxPoolGradConfig(): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { dy, input, output } = inputs;
    const info = backend_util.computePool2DInfo(
      input.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const out = allocF32(backend, [...input.shape]);
    const dx = heapF32(backend, out);
    dx.fill(0);
    scatterToWindowMax(heapF32(backend, input), heapF32(backend, output), heapF32(backend, dy), dx, info);
    return out;
  };
  return { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

function scatterToWindowMax(
  x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo,
): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const rowStride = W * C;
  let o = 0;
  for (let b = 0; b < B; b++) {
    const base = b * H * rowStride;
    for (let oh = 0; oh < OH; oh++) {
      const hStart = oh * sh - pt;
      const h0 = hStart < 0 ? 0 : hStart;
      const h1 = hStart + KH > H ? H : hStart + KH;
      for (let ow = 0; ow < OW; ow++) {
        const wStart = ow * sw - pl;
        const w0 = wStart < 0 ? 0 : wStart;
        const w1 = wStart + KW > W ? W : wStart + KW;
        const corner = base + h0 * rowStride + w0 * C;
        for (let c = 0; c < C; c++, o++) {
          const g = dy[o]!;
          if (g === 0) continue;
          const m = y[o]!;
          let at = -1;
          if (m !== -Infinity) {
            search: for (let h = h0, row = corner + c; h < h1; h++, row += rowStride) {
              for (let w = w0, i = row; w < w1; w++, i += C) {
                if (x[i] === m) { at = i; break search; }
              }
            }
            if (at < 0) at = firstMaxPosition(x, corner + c, h1 - h0, w1 - w0, rowStride, C);
          }
          if (at >= 0) dx[at]! += g;
        }
      }
    }
  }
}

/** The cpu backend's rule, for windows whose maximum y does not match (NaN inputs). */
function firstMaxPosition(x: Float32Array, start: number, rows: number, cols: number, rowStride: number, C: number): number {
  let best = -Infinity;
  let at = -1;
  for (let r = 0, row = start; r < rows; r++, row += rowStride) {
    for (let q = 0, i = row; q < cols; q++, i += C) {
      if (x[i]! > best) { best = x[i]!; at = i; }
    }
  }
  return at;
}
