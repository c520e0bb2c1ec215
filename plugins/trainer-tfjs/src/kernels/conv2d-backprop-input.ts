import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, heapF32 } from './wasm-ops.js';
import { spreadPad, type ConvPad, type Shape4 } from './conv-geometry.js';
import { pointer, trainingKernels } from '../wasm/training-kernels.js';

interface Attrs {
  strides: number | [number, number];
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: Shape4;
}

/**
 * Conv2DBackpropInput for the wasm backend, replacing tfjs 4.22's scalar C++ loop.
 *
 * The input gradient is the "full" convolution of dy with the spatially flipped filter whose in
 * and out channels are swapped: dy is zero-padded by KH-1-top rows and KW-1-left columns (and,
 * for a strided layer, spread out with stride - 1 zeros between pixels) in one pass, then
 * convolved by our WebAssembly SIMD kernel (training-kernels.as: `conv2dValid`), which skips the
 * filter rows that meet only zero rows.
 */
export function conv2dBackpropInputConfig(): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { dy, filter } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
    if (dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropInput on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
    }
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outChannels: CO } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;

    const flipped = flipFilter(backend, filter);
    const PH = H + KH - 1;
    const PW = W + KW - 1;
    const top = KH - 1 - info.padInfo.top;
    const padded = spreadPad(backend, dy, top, KW - 1 - info.padInfo.left, PH, PW, sh, sw);
    // dy's rows land on rows top, top + sh, ... of the padded tensor; the convolution skips the
    // filter rows that would meet the zero rows around and between them.
    const rowLo = top >= 0 ? top : top + Math.ceil(-top / sh) * sh;
    const rowHi = Math.max(rowLo, Math.min(PH, top + (info.outHeight - 1) * sh + 1));
    const dx = allocF32(backend, [B, H, W, C]);
    trainingKernels(backend).conv2dValid(
      pointer(backend, padded), pointer(backend, flipped), pointer(backend, dx),
      B, PH, PW, CO, H, W, C, KH, KW, 1, 1, rowLo, rowHi, sh,
    );
    free(backend, padded);
    free(backend, flipped);
    return dx;
  };
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** w [KH, KW, C, CO] -> [KH, KW, CO, C] flipped in both spatial axes (a few thousand values). */
function flipFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [KH, KW, C, CO] = filter.shape as Shape4;
  const out = allocF32(backend, [KH, KW, CO, C]);
  const w = heapF32(backend, filter);
  const f = heapF32(backend, out);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const from = (kh * KW + kw) * C * CO;
      const to = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CO * C;
      for (let ci = 0; ci < C; ci++) {
        for (let co = 0; co < CO; co++) f[to + co * C + ci] = w[from + ci * CO + co]!;
      }
    }
  }
  return out;
}
