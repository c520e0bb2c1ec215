// AssemblyScript source of the WebAssembly SIMD training kernels (compiled by build-wasm.mjs into
// training-kernels.wasm.ts; `npm run build:wasm` in plugins/trainer-tfjs after an edit).
//
// Why hand-written kernels: tfjs-backend-wasm 4.22 has no convolution filter gradient, and the
// recombinations of its own kernels that replace it pay for copies, transposes and XNNPACK
// re-packing a fresh "filter" on every training step. These kernels read and write the tensors
// where they already are: the module imports the backend's own WebAssembly.Memory, and every
// pointer below is a byte offset into that heap (a tensor's memoryOffset). The module has no data
// segments, no allocator and no runtime, so it never writes anywhere it was not given.
//
// All tensors are float32, NHWC, contiguous. Convolution geometry is always "valid": callers pad
// the input (with zeros) beforehand when the layer pads.

// ---------------------------------------------------------------------------------------------
// Conv2D filter gradient
//
//   dw[kh, kw, ci, co] = sum over (b, y, q) of x[b, y*sh + kh, q*sw + kw, ci] * dy[b, y, q, co]
//
// For a fixed kh, the pairs (kw, ci) form a contiguous run j = kw*C + ci of x starting at the
// pixel (b, y*sh + kh, q*sw): dw is a matrix of R = KH*KW*C rows ("taps") by CO columns, and row r
// reads x at a fixed offset from each output pixel's corner. A tile keeps a few rows by 4/8/16
// columns in registers and streams over output pixels: per pixel, one dy load per 4 columns, one
// broadcast load per row, and a multiply-add per (row, 4 columns). Pixels are visited in chunks
// that fit in L1 cache, every tile of dw passing over a chunk before the next chunk.
// ---------------------------------------------------------------------------------------------

let fX: usize = 0;
let fDy: usize = 0;
let fDw: usize = 0;
let fXh: i32 = 0;
let fXw: i32 = 0;
let fC: i32 = 0;
let fOh: i32 = 0;
let fOw: i32 = 0;
let fCo: i32 = 0;
let fJ: i32 = 0;
let fSh: i32 = 0;
let fSw: i32 = 0;

/** Byte offset, from an output pixel's corner in x, of filter-gradient row r = kh*J + j. */
@inline function tapOffset(r: i32): usize {
  return <usize>((r / fJ) * fXw * fC + (r % fJ)) << 2;
}

/** x at output row t = b*OH + y, column 0 (corner of the receptive field). */
@inline function xRowCorner(t: i32): usize {
  const b = t / fOh;
  const y = t - b * fOh;
  return fX + (<usize>((b * fXh + y * fSh) * fXw * fC) << 2);
}

@inline function dyRow(t: i32, co0: i32): usize {
  return fDy + (<usize>(t * fOw * fCo + co0) << 2);
}

@inline function addMul(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline function accumulate(ptr: usize, v: v128): void {
  v128.store(ptr, f32x4.add(v128.load(ptr), v));
}

/** Rows r0, r0+1 (a row past `rows` repeats r0 and is not stored) by 16 columns from co0. */
function filterTile2x16(t0: i32, t1: i32, r0: i32, rows: i32, co0: i32): void {
  const o0 = tapOffset(r0);
  const o1 = tapOffset(rows > 1 ? r0 + 1 : r0);
  const ow = fOw;
  const pixel = <usize>(fSw * fC) << 2;
  const dyStep = <usize>fCo << 2;
  let a00 = f32x4.splat(0), a01 = a00, a02 = a00, a03 = a00;
  let a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  for (let t = t0; t < t1; t++) {
    let xp = xRowCorner(t);
    let dp = dyRow(t, co0);
    for (let q = 0; q < ow; q++) {
      const d0 = v128.load(dp), d1 = v128.load(dp, 16), d2 = v128.load(dp, 32), d3 = v128.load(dp, 48);
      const x0 = v128.load32_splat(xp + o0);
      a00 = addMul(a00, x0, d0); a01 = addMul(a01, x0, d1); a02 = addMul(a02, x0, d2); a03 = addMul(a03, x0, d3);
      const x1 = v128.load32_splat(xp + o1);
      a10 = addMul(a10, x1, d0); a11 = addMul(a11, x1, d1); a12 = addMul(a12, x1, d2); a13 = addMul(a13, x1, d3);
      xp += pixel;
      dp += dyStep;
    }
  }
  const w = fDw + (<usize>(r0 * fCo + co0) << 2);
  accumulate(w, a00); accumulate(w + 16, a01); accumulate(w + 32, a02); accumulate(w + 48, a03);
  if (rows < 2) return;
  const w1 = w + dyStep;
  accumulate(w1, a10); accumulate(w1 + 16, a11); accumulate(w1 + 32, a12); accumulate(w1 + 48, a13);
}

/** Rows r0..r0+3 by 8 columns from co0. */
function filterTile4x8(t0: i32, t1: i32, r0: i32, rows: i32, co0: i32): void {
  const o0 = tapOffset(r0);
  const o1 = tapOffset(rows > 1 ? r0 + 1 : r0);
  const o2 = tapOffset(rows > 2 ? r0 + 2 : r0);
  const o3 = tapOffset(rows > 3 ? r0 + 3 : r0);
  const ow = fOw;
  const pixel = <usize>(fSw * fC) << 2;
  const dyStep = <usize>fCo << 2;
  let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00;
  let a20 = a00, a21 = a00, a30 = a00, a31 = a00;
  for (let t = t0; t < t1; t++) {
    let xp = xRowCorner(t);
    let dp = dyRow(t, co0);
    for (let q = 0; q < ow; q++) {
      const d0 = v128.load(dp), d1 = v128.load(dp, 16);
      const x0 = v128.load32_splat(xp + o0);
      a00 = addMul(a00, x0, d0); a01 = addMul(a01, x0, d1);
      const x1 = v128.load32_splat(xp + o1);
      a10 = addMul(a10, x1, d0); a11 = addMul(a11, x1, d1);
      const x2 = v128.load32_splat(xp + o2);
      a20 = addMul(a20, x2, d0); a21 = addMul(a21, x2, d1);
      const x3 = v128.load32_splat(xp + o3);
      a30 = addMul(a30, x3, d0); a31 = addMul(a31, x3, d1);
      xp += pixel;
      dp += dyStep;
    }
  }
  let w = fDw + (<usize>(r0 * fCo + co0) << 2);
  accumulate(w, a00); accumulate(w + 16, a01);
  if (rows < 2) return;
  w += dyStep;
  accumulate(w, a10); accumulate(w + 16, a11);
  if (rows < 3) return;
  w += dyStep;
  accumulate(w, a20); accumulate(w + 16, a21);
  if (rows < 4) return;
  w += dyStep;
  accumulate(w, a30); accumulate(w + 16, a31);
}

/** Rows r0..r0+5 by 4 columns from co0. */
function filterTile6x4(t0: i32, t1: i32, r0: i32, rows: i32, co0: i32): void {
  const o0 = tapOffset(r0);
  const o1 = tapOffset(rows > 1 ? r0 + 1 : r0);
  const o2 = tapOffset(rows > 2 ? r0 + 2 : r0);
  const o3 = tapOffset(rows > 3 ? r0 + 3 : r0);
  const o4 = tapOffset(rows > 4 ? r0 + 4 : r0);
  const o5 = tapOffset(rows > 5 ? r0 + 5 : r0);
  const ow = fOw;
  const pixel = <usize>(fSw * fC) << 2;
  const dyStep = <usize>fCo << 2;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
  for (let t = t0; t < t1; t++) {
    let xp = xRowCorner(t);
    let dp = dyRow(t, co0);
    for (let q = 0; q < ow; q++) {
      const d = v128.load(dp);
      a0 = addMul(a0, v128.load32_splat(xp + o0), d);
      a1 = addMul(a1, v128.load32_splat(xp + o1), d);
      a2 = addMul(a2, v128.load32_splat(xp + o2), d);
      a3 = addMul(a3, v128.load32_splat(xp + o3), d);
      a4 = addMul(a4, v128.load32_splat(xp + o4), d);
      a5 = addMul(a5, v128.load32_splat(xp + o5), d);
      xp += pixel;
      dp += dyStep;
    }
  }
  let w = fDw + (<usize>(r0 * fCo + co0) << 2);
  accumulate(w, a0);
  if (rows > 1) accumulate(w + dyStep, a1);
  if (rows > 2) accumulate(w + 2 * dyStep, a2);
  if (rows > 3) accumulate(w + 3 * dyStep, a3);
  if (rows > 4) accumulate(w + 4 * dyStep, a4);
  if (rows > 5) accumulate(w + 5 * dyStep, a5);
}

/** One row by one column (the CO % 4 columns left over). */
function filterTileScalar(t0: i32, t1: i32, r: i32, co: i32): void {
  const o = tapOffset(r);
  const pixel = <usize>(fSw * fC) << 2;
  const dyStep = <usize>fCo << 2;
  let acc: f32 = 0;
  for (let t = t0; t < t1; t++) {
    let xp = xRowCorner(t) + o;
    let dp = dyRow(t, co);
    for (let q = 0; q < fOw; q++) {
      acc += load<f32>(xp) * load<f32>(dp);
      xp += pixel;
      dp += dyStep;
    }
  }
  const w = fDw + (<usize>(r * fCo + co) << 2);
  store<f32>(w, load<f32>(w) + acc);
}

/**
 * dw [KH, KW, C, CO] = filter gradient of a valid convolution of x [B, XH, XW, C] (already
 * padded) giving dy [B, OH, OW, CO] with strides (sh, sw). Overwrites dw.
 */
export function conv2dFilterGrad(
  x: usize, dy: usize, dw: usize,
  batch: i32, xh: i32, xw: i32, c: i32,
  oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32,
): void {
  fX = x; fDy = dy; fDw = dw;
  fXh = xh; fXw = xw; fC = c; fOh = oh; fOw = ow; fCo = co;
  fJ = kw * c; fSh = sh; fSw = sw;
  const rows = kh * fJ;
  memory.fill(dw, 0, <usize>(rows * co) << 2);
  // Output rows per chunk: the chunk's dy and the x rows it reads should stay in a 32 KB L1.
  const bytesPerRow = (ow * co + sh * xw * c) * 4;
  const chunk = max(1, 24576 / max(1, bytesPerRow));
  const total = batch * oh;
  for (let t0 = 0; t0 < total; t0 += chunk) {
    const t1 = min(total, t0 + chunk);
    let co0 = 0;
    for (; co0 + 16 <= co; co0 += 16) {
      for (let r = 0; r < rows; r += 2) filterTile2x16(t0, t1, r, min(2, rows - r), co0);
    }
    for (; co0 + 8 <= co; co0 += 8) {
      for (let r = 0; r < rows; r += 4) filterTile4x8(t0, t1, r, min(4, rows - r), co0);
    }
    for (; co0 + 4 <= co; co0 += 4) {
      for (let r = 0; r < rows; r += 6) filterTile6x4(t0, t1, r, min(6, rows - r), co0);
    }
    for (; co0 < co; co0++) {
      for (let r = 0; r < rows; r++) filterTileScalar(t0, t1, r, co0);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Valid convolution (forward direction), used for the input gradient
//
//   out[b, y, q, co] = sum over (kh, j = kw*C + ci) of x[b, y*sh + kh, q*sw*C + j] * w[kh, j, co]
//
// Conv2DBackpropInput is this convolution of dy (zero-padded, zero-spread for strides) with the
// flipped filter. A tile keeps a few neighbouring output pixels by 4/8/16 output channels in
// registers; per filter row, one load per 4 output channels and one broadcast load per pixel.
// ---------------------------------------------------------------------------------------------

let cX: usize = 0;
let cW: usize = 0;
let cOut: usize = 0;
let cXh: i32 = 0;
let cXw: i32 = 0;
let cC: i32 = 0;
let cOh: i32 = 0;
let cOw: i32 = 0;
let cCo: i32 = 0;
let cKh: i32 = 0;
let cJ: i32 = 0;
let cSh: i32 = 0;
let cSw: i32 = 0;

@inline function convCorner(t: i32, q: i32): usize {
  const b = t / cOh;
  const y = t - b * cOh;
  return cX + (<usize>(((b * cXh + y * cSh) * cXw + q * cSw) * cC) << 2);
}

@inline function convOut(t: i32, q: i32, co0: i32): usize {
  return cOut + (<usize>((t * cOw + q) * cCo + co0) << 2);
}

/** Output pixels q, q+1 of output row t (a pixel past `count` repeats q, unstored) by 16 channels. */
function convTile2x16(t: i32, q: i32, count: i32, co0: i32): void {
  const x0 = convCorner(t, q);
  const p1 = count > 1 ? <usize>(cSw * cC) << 2 : 0;
  const rowStep = <usize>(cXw * cC) << 2;
  const wStep = <usize>cCo << 2;
  const kh = cKh, J = cJ;
  let a00 = f32x4.splat(0), a01 = a00, a02 = a00, a03 = a00;
  let a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  let wp = cW + (<usize>co0 << 2);
  let xr = x0;
  for (let r = 0; r < kh; r++) {
    let xp = xr;
    for (let j = 0; j < J; j++) {
      const w0 = v128.load(wp), w1 = v128.load(wp, 16), w2 = v128.load(wp, 32), w3 = v128.load(wp, 48);
      const s0 = v128.load32_splat(xp);
      a00 = addMul(a00, s0, w0); a01 = addMul(a01, s0, w1); a02 = addMul(a02, s0, w2); a03 = addMul(a03, s0, w3);
      const s1 = v128.load32_splat(xp + p1);
      a10 = addMul(a10, s1, w0); a11 = addMul(a11, s1, w1); a12 = addMul(a12, s1, w2); a13 = addMul(a13, s1, w3);
      xp += 4;
      wp += wStep;
    }
    xr += rowStep;
  }
  const o = convOut(t, q, co0);
  v128.store(o, a00); v128.store(o, a01, 16); v128.store(o, a02, 32); v128.store(o, a03, 48);
  if (count < 2) return;
  const o1 = o + wStep;
  v128.store(o1, a10); v128.store(o1, a11, 16); v128.store(o1, a12, 32); v128.store(o1, a13, 48);
}

/** Output pixels q..q+3 by 8 channels. */
function convTile4x8(t: i32, q: i32, count: i32, co0: i32): void {
  const x0 = convCorner(t, q);
  const pixel = <usize>(cSw * cC) << 2;
  const p1 = count > 1 ? pixel : 0;
  const p2 = count > 2 ? 2 * pixel : 0;
  const p3 = count > 3 ? 3 * pixel : 0;
  const rowStep = <usize>(cXw * cC) << 2;
  const wStep = <usize>cCo << 2;
  const kh = cKh, J = cJ;
  let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00;
  let a20 = a00, a21 = a00, a30 = a00, a31 = a00;
  let wp = cW + (<usize>co0 << 2);
  let xr = x0;
  for (let r = 0; r < kh; r++) {
    let xp = xr;
    for (let j = 0; j < J; j++) {
      const w0 = v128.load(wp), w1 = v128.load(wp, 16);
      const s0 = v128.load32_splat(xp);
      a00 = addMul(a00, s0, w0); a01 = addMul(a01, s0, w1);
      const s1 = v128.load32_splat(xp + p1);
      a10 = addMul(a10, s1, w0); a11 = addMul(a11, s1, w1);
      const s2 = v128.load32_splat(xp + p2);
      a20 = addMul(a20, s2, w0); a21 = addMul(a21, s2, w1);
      const s3 = v128.load32_splat(xp + p3);
      a30 = addMul(a30, s3, w0); a31 = addMul(a31, s3, w1);
      xp += 4;
      wp += wStep;
    }
    xr += rowStep;
  }
  let o = convOut(t, q, co0);
  v128.store(o, a00); v128.store(o, a01, 16);
  if (count < 2) return;
  o += wStep;
  v128.store(o, a10); v128.store(o, a11, 16);
  if (count < 3) return;
  o += wStep;
  v128.store(o, a20); v128.store(o, a21, 16);
  if (count < 4) return;
  o += wStep;
  v128.store(o, a30); v128.store(o, a31, 16);
}

/** Output pixels q..q+5 by 4 channels. */
function convTile6x4(t: i32, q: i32, count: i32, co0: i32): void {
  const x0 = convCorner(t, q);
  const pixel = <usize>(cSw * cC) << 2;
  const p1 = count > 1 ? pixel : 0;
  const p2 = count > 2 ? 2 * pixel : 0;
  const p3 = count > 3 ? 3 * pixel : 0;
  const p4 = count > 4 ? 4 * pixel : 0;
  const p5 = count > 5 ? 5 * pixel : 0;
  const rowStep = <usize>(cXw * cC) << 2;
  const wStep = <usize>cCo << 2;
  const kh = cKh, J = cJ;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
  let wp = cW + (<usize>co0 << 2);
  let xr = x0;
  for (let r = 0; r < kh; r++) {
    let xp = xr;
    for (let j = 0; j < J; j++) {
      const w = v128.load(wp);
      a0 = addMul(a0, v128.load32_splat(xp), w);
      a1 = addMul(a1, v128.load32_splat(xp + p1), w);
      a2 = addMul(a2, v128.load32_splat(xp + p2), w);
      a3 = addMul(a3, v128.load32_splat(xp + p3), w);
      a4 = addMul(a4, v128.load32_splat(xp + p4), w);
      a5 = addMul(a5, v128.load32_splat(xp + p5), w);
      xp += 4;
      wp += wStep;
    }
    xr += rowStep;
  }
  const o = convOut(t, q, co0);
  v128.store(o, a0);
  if (count > 1) v128.store(o + wStep, a1);
  if (count > 2) v128.store(o + 2 * wStep, a2);
  if (count > 3) v128.store(o + 3 * wStep, a3);
  if (count > 4) v128.store(o + 4 * wStep, a4);
  if (count > 5) v128.store(o + 5 * wStep, a5);
}

/** One output pixel, one channel (the CO % 4 channels left over). */
function convScalar(t: i32, q: i32, co: i32): void {
  const rowStep = <usize>(cXw * cC) << 2;
  const wStep = <usize>cCo << 2;
  let acc: f32 = 0;
  let wp = cW + (<usize>co << 2);
  let xr = convCorner(t, q);
  for (let kh = 0; kh < cKh; kh++) {
    let xp = xr;
    for (let j = 0; j < cJ; j++) {
      acc += load<f32>(xp) * load<f32>(wp);
      xp += 4;
      wp += wStep;
    }
    xr += rowStep;
  }
  store<f32>(convOut(t, q, co), acc);
}

/**
 * out [B, OH, OW, CO] = valid convolution of x [B, XH, XW, C] with w [KH, KW, C, CO], strides
 * (sh, sw).
 */
export function conv2dValid(
  x: usize, w: usize, out: usize,
  batch: i32, xh: i32, xw: i32, c: i32,
  oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32,
): void {
  cX = x; cW = w; cOut = out;
  cXh = xh; cXw = xw; cC = c; cOh = oh; cOw = ow; cCo = co;
  cKh = kh; cJ = kw * c; cSh = sh; cSw = sw;
  const total = batch * oh;
  for (let t = 0; t < total; t++) {
    let co0 = 0;
    for (; co0 + 16 <= co; co0 += 16) {
      for (let q = 0; q < ow; q += 2) convTile2x16(t, q, min(2, ow - q), co0);
    }
    for (; co0 + 8 <= co; co0 += 8) {
      for (let q = 0; q < ow; q += 4) convTile4x8(t, q, min(4, ow - q), co0);
    }
    for (; co0 + 4 <= co; co0 += 4) {
      for (let q = 0; q < ow; q += 6) convTile6x4(t, q, min(6, ow - q), co0);
    }
    for (; co0 < co; co0++) {
      for (let q = 0; q < ow; q++) convScalar(t, q, co0);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Max-pool gradient
//
// Each output's gradient goes to the first position of its window, in row-major order, that holds
// the window's maximum (the cpu backend's rule). The forward output y gives that maximum, so the
// search stops at the first match; a zero gradient (common after ReLU) skips its window.
// ---------------------------------------------------------------------------------------------

/**
 * dx [B, H, W, C] (overwritten) from dy and y [B, OH, OW, C] and x [B, H, W, C]; windows of
 * kh x kw with strides (sh, sw), starting pt rows above and pl columns left of x (clipped).
 */
export function maxPoolGrad(
  x: usize, y: usize, dy: usize, dx: usize,
  batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  memory.fill(dx, 0, <usize>(batch * h * w * c) << 2);
  const rowStride = <usize>(w * c) << 2;
  const pixel = <usize>c << 2;
  const vectors = (c & 3) == 0;
  let o: usize = 0;
  for (let b = 0; b < batch; b++) {
    const base = <usize>(b * h) * rowStride;
    for (let i = 0; i < oh; i++) {
      const hStart = i * sh - pt;
      const h0 = max(hStart, 0);
      const h1 = min(hStart + kh, h);
      for (let q = 0; q < ow; q++) {
        const wStart = q * sw - pl;
        const w0 = max(wStart, 0);
        const w1 = min(wStart + kw, w);
        const corner = base + <usize>h0 * rowStride + (<usize>w0 * pixel);
        if (vectors) {
          for (let ch = 0; ch < c; ch += 4, o += 16) {
            windowGrad4(x, dx, corner + (<usize>ch << 2), v128.load(y + o), v128.load(dy + o), h1 - h0, w1 - w0, rowStride, pixel);
          }
        } else {
          for (let ch = 0; ch < c; ch++, o += 4) {
            windowGrad1(x, dx, corner + (<usize>ch << 2), load<f32>(y + o), load<f32>(dy + o), h1 - h0, w1 - w0, rowStride, pixel);
          }
        }
      }
    }
  }
}

/**
 * One window, four channels at once, without branches on the data (ties after ReLU make the
 * position of the maximum unpredictable): each position takes the gradient of the lanes whose
 * maximum it holds and no earlier position held. m = -Infinity lanes take none (as on cpu).
 */
function windowGrad4(x: usize, dx: usize, start: usize, m: v128, g: v128, rows: i32, cols: i32, rowStride: usize, pixel: usize): void {
  let taken = f32x4.eq(m, f32x4.splat(-Infinity));
  let row = start;
  for (let r = 0; r < rows; r++, row += rowStride) {
    let p = row;
    for (let s = 0; s < cols; s++, p += pixel) {
      const hit = v128.andnot(f32x4.eq(v128.load(x + p), m), taken);
      taken = v128.or(taken, hit);
      accumulate(dx + p, v128.and(g, hit));
    }
  }
  if (i32x4.all_true(taken)) return;
  // No input equals the maximum (NaN): the cpu backend's rule, lane by lane.
  if (i32x4.extract_lane(taken, 0) == 0) windowGrad1Fallback(x, dx, start, f32x4.extract_lane(g, 0), rows, cols, rowStride, pixel);
  if (i32x4.extract_lane(taken, 1) == 0) windowGrad1Fallback(x, dx, start + 4, f32x4.extract_lane(g, 1), rows, cols, rowStride, pixel);
  if (i32x4.extract_lane(taken, 2) == 0) windowGrad1Fallback(x, dx, start + 8, f32x4.extract_lane(g, 2), rows, cols, rowStride, pixel);
  if (i32x4.extract_lane(taken, 3) == 0) windowGrad1Fallback(x, dx, start + 12, f32x4.extract_lane(g, 3), rows, cols, rowStride, pixel);
}

/** One window, one channel (channel counts that are not a multiple of 4). */
function windowGrad1(x: usize, dx: usize, start: usize, m: f32, g: f32, rows: i32, cols: i32, rowStride: usize, pixel: usize): void {
  if (g == 0 || m == -Infinity) return;
  let row = start;
  for (let r = 0; r < rows; r++, row += rowStride) {
    let p = row;
    for (let s = 0; s < cols; s++, p += pixel) {
      if (load<f32>(x + p) == m) {
        store<f32>(dx + p, load<f32>(dx + p) + g);
        return;
      }
    }
  }
  windowGrad1Fallback(x, dx, start, g, rows, cols, rowStride, pixel);
}

function windowGrad1Fallback(x: usize, dx: usize, start: usize, g: f32, rows: i32, cols: i32, rowStride: usize, pixel: usize): void {
  const at = firstMaxPosition(x, start, rows, cols, rowStride, pixel);
  if (at >= 0) store<f32>(dx + <usize>at, load<f32>(dx + <usize>at) + g);
}

/** The cpu backend's rule when no input equals the window's maximum (NaN inputs). */
function firstMaxPosition(x: usize, start: usize, rows: i32, cols: i32, rowStride: usize, pixel: usize): isize {
  let best: f32 = -Infinity;
  let at: isize = -1;
  let row = start;
  for (let r = 0; r < rows; r++, row += rowStride) {
    let p = row;
    for (let s = 0; s < cols; s++, p += pixel) {
      const v = load<f32>(x + p);
      if (v > best) { best = v; at = <isize>p; }
    }
  }
  return at;
}
