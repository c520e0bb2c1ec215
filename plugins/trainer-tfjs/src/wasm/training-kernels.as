// AssemblyScript source of the WebAssembly SIMD training kernels (compiled by build-wasm.mjs into
// training-kernels.wasm.ts; `npm run build:wasm` in plugins/trainer-tfjs after an edit).
//
// Why hand-written kernels: tfjs-backend-wasm 4.22 has no convolution filter gradient, runs
// several training kernels as scalar C++ loops, and its XNNPACK operators re-pack their weights
// whenever these change, which in training is every step; recombining its kernels into the missing
// gradients paid for copies and transposes on top. These kernels read and write the tensors where
// they already are: the module imports the backend's own WebAssembly.Memory, and every pointer
// below is a byte offset into that heap (a tensor's memoryOffset). The module has no data
// segments, no allocator and no runtime, so it never writes anywhere it was not given (the
// callers in ../kernels allocate every output as a tensor of the backend).
//
// All tensors are float32, NHWC, contiguous. Convolution geometry is always "valid": callers pad
// the input (with zeros, spreadPad below) beforehand when the layer pads.
//
// Contents: conv2dFilterGrad, conv2dValid (Conv2D and its input gradient; also the matrix
// products of dense layers), maxPoolGrad, maxPool, spreadPad, addBroadcast, multiplyBroadcast,
// step, transpose2d, sumRows.

@inline function addMul(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline function accumulate(ptr: usize, v: v128): void {
  v128.store(ptr, f32x4.add(v128.load(ptr), v));
}

/** The `lanes` (a constant 1-4) floats at p, zeros after them; never reads past them. */
@inline function loadLanes(p: usize, lanes: i32): v128 {
  if (lanes == 4) return v128.load(p);
  let v = v128.load32_zero(p);
  if (lanes > 1) v = v128.load32_lane(p, v, 1, 4);
  if (lanes > 2) v = v128.load32_lane(p, v, 2, 8);
  return v;
}

/** Stores the first `lanes` (a constant 1-4) floats of v at p. */
@inline function storeLanes(p: usize, v: v128, lanes: i32): void {
  if (lanes == 4) { v128.store(p, v); return; }
  v128.store32_lane(p, v, 0);
  if (lanes > 1) v128.store32_lane(p, v, 1, 4);
  if (lanes > 2) v128.store32_lane(p, v, 2, 8);
}

/** p += v on the first `lanes` floats. */
@inline function accumulateLanes(p: usize, v: v128, lanes: i32): void {
  storeLanes(p, f32x4.add(loadLanes(p, lanes), v), lanes);
}

// ---------------------------------------------------------------------------------------------
// Conv2D filter gradient
//
//   dw[kh, kw, ci, co] = sum over (b, y, q) of x[b, y*sh + kh, q*sw + kw, ci] * dy[b, y, q, co]
//
// For a fixed kh, the pairs (kw, ci) form a contiguous run j = kw*C + ci of x (a "band" of
// J = KW*C values) starting at the pixel (b, y*sh + kh, q*sw). dw is a matrix of KH*J rows by CO
// columns; a tile keeps up to 4 consecutive rows of one band by 4/8/16 columns in registers and
// streams over every output pixel: per pixel, one dy load per 4 columns, one broadcast load of x
// per row, and a multiply-add per (row, 4 columns).
//
// Register budget: V8 gives wasm 15 SIMD registers on x64, and the inner loop must also keep its
// pointers in general registers, or TurboFan spills them and the loop runs 2-3 times slower. So a
// tile holds at most 8 accumulators, its rows are adjacent in x (constant offsets from a single
// pointer), and tiles are @inline functions called with a constant row count, which the compiler
// specialises (unused rows vanish). Images are visited in chunks that fit in a 32 KB L1 cache,
// every tile passing over a chunk before the next one.
// ---------------------------------------------------------------------------------------------

/** Geometry of the current filter-gradient call (set once by conv2dFilterGrad). */
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

/**
 * Rows kh*J + j .. + rows-1 (rows: a constant 1-2) by 16 columns from co0, over images b0..b1-1;
 * `band` is the byte offset of row j's x value from an output pixel's corner.
 */
@inline function filterTile16(b0: i32, b1: i32, band: usize, row: i32, co0: i32, rows: i32): void {
  const oh = fOh;
  const xRow = <usize>(fSh * fXw * fC) << 2;
  const pixel = <usize>(fSw * fC) << 2;
  const dyPixel = <usize>fCo << 2; // a dy pixel, and a row of dw
  const dyRow = <usize>(fOw * fCo) << 2;
  let a00 = f32x4.splat(0), a01 = a00, a02 = a00, a03 = a00;
  let a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  for (let b = b0; b < b1; b++) {
    let xr = fX + (<usize>(b * fXh * fXw * fC) << 2) + band;
    let dp = fDy + (<usize>(b * fOh * fOw * fCo + co0) << 2);
    for (let y = 0; y < oh; y++, xr += xRow) {
      let xp = xr;
      const end = dp + dyRow;
      for (; dp < end; dp += dyPixel, xp += pixel) {
        const d0 = v128.load(dp), d1 = v128.load(dp, 16), d2 = v128.load(dp, 32), d3 = v128.load(dp, 48);
        const x0 = v128.load32_splat(xp);
        a00 = addMul(a00, x0, d0); a01 = addMul(a01, x0, d1); a02 = addMul(a02, x0, d2); a03 = addMul(a03, x0, d3);
        if (rows > 1) {
          const x1 = v128.load32_splat(xp + 4);
          a10 = addMul(a10, x1, d0); a11 = addMul(a11, x1, d1); a12 = addMul(a12, x1, d2); a13 = addMul(a13, x1, d3);
        }
      }
    }
  }
  const w = fDw + (<usize>(row * fCo + co0) << 2);
  accumulate(w, a00); accumulate(w + 16, a01); accumulate(w + 32, a02); accumulate(w + 48, a03);
  if (rows > 1) {
    const w1 = w + dyPixel;
    accumulate(w1, a10); accumulate(w1 + 16, a11); accumulate(w1 + 32, a12); accumulate(w1 + 48, a13);
  }
}

/** As filterTile16 with 1-4 rows by 8 columns. */
@inline function filterTile8(b0: i32, b1: i32, band: usize, row: i32, co0: i32, rows: i32): void {
  const oh = fOh;
  const xRow = <usize>(fSh * fXw * fC) << 2;
  const pixel = <usize>(fSw * fC) << 2;
  const dyPixel = <usize>fCo << 2; // a dy pixel, and a row of dw
  const dyRow = <usize>(fOw * fCo) << 2;
  let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00;
  let a20 = a00, a21 = a00, a30 = a00, a31 = a00;
  for (let b = b0; b < b1; b++) {
    let xr = fX + (<usize>(b * fXh * fXw * fC) << 2) + band;
    let dp = fDy + (<usize>(b * fOh * fOw * fCo + co0) << 2);
    for (let y = 0; y < oh; y++, xr += xRow) {
      let xp = xr;
      const end = dp + dyRow;
      for (; dp < end; dp += dyPixel, xp += pixel) {
        const d0 = v128.load(dp), d1 = v128.load(dp, 16);
        const x0 = v128.load32_splat(xp);
        a00 = addMul(a00, x0, d0); a01 = addMul(a01, x0, d1);
        if (rows > 1) {
          const x1 = v128.load32_splat(xp + 4);
          a10 = addMul(a10, x1, d0); a11 = addMul(a11, x1, d1);
        }
        if (rows > 2) {
          const x2 = v128.load32_splat(xp + 8);
          a20 = addMul(a20, x2, d0); a21 = addMul(a21, x2, d1);
        }
        if (rows > 3) {
          const x3 = v128.load32_splat(xp + 12);
          a30 = addMul(a30, x3, d0); a31 = addMul(a31, x3, d1);
        }
      }
    }
  }
  const w = fDw + (<usize>(row * fCo + co0) << 2);
  accumulate(w, a00); accumulate(w + 16, a01);
  if (rows > 1) { accumulate(w + dyPixel, a10); accumulate(w + dyPixel + 16, a11); }
  if (rows > 2) { accumulate(w + 2 * dyPixel, a20); accumulate(w + 2 * dyPixel + 16, a21); }
  if (rows > 3) { accumulate(w + 3 * dyPixel, a30); accumulate(w + 3 * dyPixel + 16, a31); }
}

/**
 * As filterTile16 with 1-4 rows by 4 columns, of which the first `lanes` (a constant 1-4) are
 * real: the CO % 4 columns left over read and write only their own lanes.
 */
@inline function filterTile4(b0: i32, b1: i32, band: usize, row: i32, co0: i32, rows: i32, lanes: i32): void {
  const oh = fOh;
  const xRow = <usize>(fSh * fXw * fC) << 2;
  const pixel = <usize>(fSw * fC) << 2;
  const dyPixel = <usize>fCo << 2; // a dy pixel, and a row of dw
  const dyRow = <usize>(fOw * fCo) << 2;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  for (let b = b0; b < b1; b++) {
    let xr = fX + (<usize>(b * fXh * fXw * fC) << 2) + band;
    let dp = fDy + (<usize>(b * fOh * fOw * fCo + co0) << 2);
    for (let y = 0; y < oh; y++, xr += xRow) {
      let xp = xr;
      const end = dp + dyRow;
      for (; dp < end; dp += dyPixel, xp += pixel) {
        const d = loadLanes(dp, lanes);
        a0 = addMul(a0, v128.load32_splat(xp), d);
        if (rows > 1) a1 = addMul(a1, v128.load32_splat(xp + 4), d);
        if (rows > 2) a2 = addMul(a2, v128.load32_splat(xp + 8), d);
        if (rows > 3) a3 = addMul(a3, v128.load32_splat(xp + 12), d);
      }
    }
  }
  const w = fDw + (<usize>(row * fCo + co0) << 2);
  accumulateLanes(w, a0, lanes);
  if (rows > 1) accumulateLanes(w + dyPixel, a1, lanes);
  if (rows > 2) accumulateLanes(w + 2 * dyPixel, a2, lanes);
  if (rows > 3) accumulateLanes(w + 3 * dyPixel, a3, lanes);
}

/** Every 4-row tile of band kh's 4 columns from co0 (`lanes` of them real). */
@inline function filterBand4(b0: i32, b1: i32, kh: i32, co0: i32, lanes: i32): void {
  const J = fJ;
  const bandStart = <usize>(kh * fXw * fC) << 2;
  let j = 0;
  for (; j + 4 <= J; j += 4) filterTile4(b0, b1, bandStart + (<usize>j << 2), kh * J + j, co0, 4, lanes);
  const left = J - j;
  const at = bandStart + (<usize>j << 2);
  if (left == 3) filterTile4(b0, b1, at, kh * J + j, co0, 3, lanes);
  else if (left == 2) filterTile4(b0, b1, at, kh * J + j, co0, 2, lanes);
  else if (left == 1) filterTile4(b0, b1, at, kh * J + j, co0, 1, lanes);
}

/** Every tile of one band (rows kh*J .. kh*J + J-1) over images b0..b1-1. */
function filterBand(b0: i32, b1: i32, kh: i32): void {
  const J = fJ, co = fCo;
  const bandStart = <usize>(kh * fXw * fC) << 2;
  let co0 = 0;
  for (; co0 + 16 <= co; co0 += 16) {
    let j = 0;
    for (; j + 2 <= J; j += 2) filterTile16(b0, b1, bandStart + (<usize>j << 2), kh * J + j, co0, 2);
    if (j < J) filterTile16(b0, b1, bandStart + (<usize>j << 2), kh * J + j, co0, 1);
  }
  for (; co0 + 8 <= co; co0 += 8) {
    let j = 0;
    for (; j + 4 <= J; j += 4) filterTile8(b0, b1, bandStart + (<usize>j << 2), kh * J + j, co0, 4);
    const left = J - j;
    const at = bandStart + (<usize>j << 2);
    if (left == 3) filterTile8(b0, b1, at, kh * J + j, co0, 3);
    else if (left == 2) filterTile8(b0, b1, at, kh * J + j, co0, 2);
    else if (left == 1) filterTile8(b0, b1, at, kh * J + j, co0, 1);
  }
  for (; co0 + 4 <= co; co0 += 4) filterBand4(b0, b1, kh, co0, 4);
  const tail = co - co0;
  if (tail == 3) filterBand4(b0, b1, kh, co0, 3);
  else if (tail == 2) filterBand4(b0, b1, kh, co0, 2);
  else if (tail == 1) filterBand4(b0, b1, kh, co0, 1);
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
  memory.fill(dw, 0, <usize>(kh * fJ * co) << 2);
  // Images per chunk: a chunk's x and dy should stay in L1 while every tile passes over it.
  const bytesPerImage = max(1, (oh * ow * co + xh * xw * c) * 4);
  const chunk = max(1, 24576 / bytesPerImage);
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const b1 = min(batch, b0 + chunk);
    for (let r = 0; r < kh; r++) filterBand(b0, b1, r);
  }
}

// ---------------------------------------------------------------------------------------------
// Valid convolution (forward direction)
//
//   out[b, y, q, co] = sum over (kh, j = kw*C + ci) of x[b, y*sh + kh, q*sw*C + j] * w[kh, j, co]
//
// Used for Conv2D itself and for Conv2DBackpropInput (this convolution of dy, zero-padded and
// zero-spread for strides, with the flipped filter). A tile keeps 1-4 neighbouring output pixels
// of one output row by 4/8/16 output channels in registers; per filter row (kh, j): one w load
// per 4 output channels, one broadcast load of x per pixel. As for the filter gradient, tiles are
// @inline functions called with a constant pixel count, and keep few pointers live.
// ---------------------------------------------------------------------------------------------

/** Geometry of the current convolution (set once by conv2dValid). */
let cW: usize = 0;
let cXw: i32 = 0;
let cC: i32 = 0;
let cCo: i32 = 0;
let cKh: i32 = 0;
/** Filter rows the current output row reads: cKh0, cKh0 + cKhStep, ... below cKh1 (the others see zeros). */
let cKh0: i32 = 0;
let cKh1: i32 = 0;
let cKhStep: i32 = 1;
let cJ: i32 = 0;
let cSw: i32 = 0;

/** Pixels q..q+count-1 (count: a constant 1-2) by 16 channels from co0; x0 = pixel q's corner, o = out at (q, co0). */
@inline function convTile16(x0: usize, o: usize, co0: i32, count: i32): void {
  const ps = <usize>(cSw * cC) << 2;
  const xRowBytes = <usize>(cXw * cC) << 2;
  const coBytes = <usize>cCo << 2; // a filter row, and an output pixel
  const jBytes = <usize>cJ << 2;
  const kh1 = cKh1, khStep = cKhStep;
  const xSkip = xRowBytes * <usize>khStep;
  const wSkip = <usize>((khStep - 1) * cJ) * coBytes;
  let a00 = f32x4.splat(0), a01 = a00, a02 = a00, a03 = a00;
  let a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  let wp = cW + (<usize>(cKh0 * cJ * cCo + co0) << 2);
  let xr = x0 + <usize>cKh0 * xRowBytes;
  for (let r = cKh0; r < kh1; r += khStep, xr += xSkip, wp += wSkip) {
    const end = xr + jBytes;
    for (let xp = xr; xp < end; xp += 4, wp += coBytes) {
      const w0 = v128.load(wp), w1 = v128.load(wp, 16), w2 = v128.load(wp, 32), w3 = v128.load(wp, 48);
      const s0 = v128.load32_splat(xp);
      a00 = addMul(a00, s0, w0); a01 = addMul(a01, s0, w1); a02 = addMul(a02, s0, w2); a03 = addMul(a03, s0, w3);
      if (count > 1) {
        const s1 = v128.load32_splat(xp + ps);
        a10 = addMul(a10, s1, w0); a11 = addMul(a11, s1, w1); a12 = addMul(a12, s1, w2); a13 = addMul(a13, s1, w3);
      }
    }
  }
  v128.store(o, a00); v128.store(o, a01, 16); v128.store(o, a02, 32); v128.store(o, a03, 48);
  if (count > 1) {
    const o1 = o + coBytes;
    v128.store(o1, a10); v128.store(o1, a11, 16); v128.store(o1, a12, 32); v128.store(o1, a13, 48);
  }
}

/** As convTile16 with 1-4 pixels by 8 channels. */
@inline function convTile8(x0: usize, o: usize, co0: i32, count: i32): void {
  const ps = <usize>(cSw * cC) << 2;
  const xRowBytes = <usize>(cXw * cC) << 2;
  const coBytes = <usize>cCo << 2; // a filter row, and an output pixel
  const jBytes = <usize>cJ << 2;
  const kh1 = cKh1, khStep = cKhStep;
  const xSkip = xRowBytes * <usize>khStep;
  const wSkip = <usize>((khStep - 1) * cJ) * coBytes;
  let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00;
  let a20 = a00, a21 = a00, a30 = a00, a31 = a00;
  let wp = cW + (<usize>(cKh0 * cJ * cCo + co0) << 2);
  let xr = x0 + <usize>cKh0 * xRowBytes;
  for (let r = cKh0; r < kh1; r += khStep, xr += xSkip, wp += wSkip) {
    const end = xr + jBytes;
    for (let xp = xr; xp < end; xp += 4, wp += coBytes) {
      const w0 = v128.load(wp), w1 = v128.load(wp, 16);
      const s0 = v128.load32_splat(xp);
      a00 = addMul(a00, s0, w0); a01 = addMul(a01, s0, w1);
      if (count > 1) {
        const s1 = v128.load32_splat(xp + ps);
        a10 = addMul(a10, s1, w0); a11 = addMul(a11, s1, w1);
      }
      if (count > 2) {
        const s2 = v128.load32_splat(xp + 2 * ps);
        a20 = addMul(a20, s2, w0); a21 = addMul(a21, s2, w1);
      }
      if (count > 3) {
        const s3 = v128.load32_splat(xp + 3 * ps);
        a30 = addMul(a30, s3, w0); a31 = addMul(a31, s3, w1);
      }
    }
  }
  v128.store(o, a00); v128.store(o, a01, 16);
  if (count > 1) { v128.store(o + coBytes, a10); v128.store(o + coBytes, a11, 16); }
  if (count > 2) { v128.store(o + 2 * coBytes, a20); v128.store(o + 2 * coBytes, a21, 16); }
  if (count > 3) { v128.store(o + 3 * coBytes, a30); v128.store(o + 3 * coBytes, a31, 16); }
}

/** As convTile16 with 1-4 pixels by 4 channels, of which the first `lanes` (a constant 1-4) are real. */
@inline function convTile4(x0: usize, o: usize, co0: i32, count: i32, lanes: i32): void {
  const ps = <usize>(cSw * cC) << 2;
  const xRowBytes = <usize>(cXw * cC) << 2;
  const coBytes = <usize>cCo << 2; // a filter row, and an output pixel
  const jBytes = <usize>cJ << 2;
  const kh1 = cKh1, khStep = cKhStep;
  const xSkip = xRowBytes * <usize>khStep;
  const wSkip = <usize>((khStep - 1) * cJ) * coBytes;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let wp = cW + (<usize>(cKh0 * cJ * cCo + co0) << 2);
  let xr = x0 + <usize>cKh0 * xRowBytes;
  for (let r = cKh0; r < kh1; r += khStep, xr += xSkip, wp += wSkip) {
    const end = xr + jBytes;
    for (let xp = xr; xp < end; xp += 4, wp += coBytes) {
      const w = loadLanes(wp, lanes);
      a0 = addMul(a0, v128.load32_splat(xp), w);
      if (count > 1) a1 = addMul(a1, v128.load32_splat(xp + ps), w);
      if (count > 2) a2 = addMul(a2, v128.load32_splat(xp + 2 * ps), w);
      if (count > 3) a3 = addMul(a3, v128.load32_splat(xp + 3 * ps), w);
    }
  }
  storeLanes(o, a0, lanes);
  if (count > 1) storeLanes(o + coBytes, a1, lanes);
  if (count > 2) storeLanes(o + 2 * coBytes, a2, lanes);
  if (count > 3) storeLanes(o + 3 * coBytes, a3, lanes);
}

/** Every pixel of an output row, 4 channels from co0 (`lanes` of them real). */
@inline function convRow4(xr: usize, o: usize, ow: i32, co0: i32, lanes: i32): void {
  const ps = <usize>(cSw * cC) << 2;
  const opx = <usize>cCo << 2;
  const oc = o + (<usize>co0 << 2);
  let q = 0;
  for (; q + 4 <= ow; q += 4) convTile4(xr + <usize>q * ps, oc + <usize>q * opx, co0, 4, lanes);
  const left = ow - q;
  const xq = xr + <usize>q * ps, oq = oc + <usize>q * opx;
  if (left == 3) convTile4(xq, oq, co0, 3, lanes);
  else if (left == 2) convTile4(xq, oq, co0, 2, lanes);
  else if (left == 1) convTile4(xq, oq, co0, 1, lanes);
}

/** Every output pixel and channel of one output row; xr = the row's first corner, o = out at the row's start. */
function convRow(xr: usize, o: usize, ow: i32): void {
  const co = cCo;
  const ps = <usize>(cSw * cC) << 2;
  const opx = <usize>co << 2;
  let co0 = 0;
  for (; co0 + 16 <= co; co0 += 16) {
    const oc = o + (<usize>co0 << 2);
    let q = 0;
    for (; q + 2 <= ow; q += 2) convTile16(xr + <usize>q * ps, oc + <usize>q * opx, co0, 2);
    if (q < ow) convTile16(xr + <usize>q * ps, oc + <usize>q * opx, co0, 1);
  }
  for (; co0 + 8 <= co; co0 += 8) {
    const oc = o + (<usize>co0 << 2);
    let q = 0;
    for (; q + 4 <= ow; q += 4) convTile8(xr + <usize>q * ps, oc + <usize>q * opx, co0, 4);
    const left = ow - q;
    const xq = xr + <usize>q * ps, oq = oc + <usize>q * opx;
    if (left == 3) convTile8(xq, oq, co0, 3);
    else if (left == 2) convTile8(xq, oq, co0, 2);
    else if (left == 1) convTile8(xq, oq, co0, 1);
  }
  for (; co0 + 4 <= co; co0 += 4) convRow4(xr, o, ow, co0, 4);
  const tail = co - co0;
  if (tail == 3) convRow4(xr, o, ow, co0, 3);
  else if (tail == 2) convRow4(xr, o, ow, co0, 2);
  else if (tail == 1) convRow4(xr, o, ow, co0, 1);
}

/**
 * out [B, OH, OW, CO] = valid convolution of x [B, XH, XW, C] with w [KH, KW, C, CO], strides
 * (sh, sw). Only x rows rowLo, rowLo + rowStep, ... below rowHi may hold non-zeros: filter rows
 * that meet other rows are skipped (the input gradient's zero border and, for strided layers, the
 * zero rows spread between dy's; pass 0, XH, 1 for a plain convolution).
 */
export function conv2dValid(
  x: usize, w: usize, out: usize,
  batch: i32, xh: i32, xw: i32, c: i32,
  oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32,
  rowLo: i32, rowHi: i32, rowStep: i32,
): void {
  cW = w; cXw = xw; cC = c; cCo = co; cKh = kh; cJ = kw * c; cSw = sw; cKhStep = rowStep;
  const xRow = <usize>(sh * xw * c) << 2;
  const outRow = <usize>(ow * co) << 2;
  let o = out;
  for (let b = 0; b < batch; b++) {
    let xr = x + (<usize>(b * xh * xw * c) << 2);
    for (let y = 0; y < oh; y++, xr += xRow, o += outRow) {
      // The first filter row meeting a row that may be non-zero, and the end of those rows.
      const base = y * sh;
      let first = max(base, rowLo);
      const misaligned = (first - rowLo) % rowStep;
      if (misaligned != 0) first += rowStep - misaligned;
      cKh0 = first - base;
      cKh1 = min(kh, rowHi - base);
      convRow(xr, o, ow);
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
  // Windows that neither overlap nor leave gaps (the usual 2x2, stride 2) write each dx element
  // exactly once four channels at a time: no zero-fill, no read-modify-write.
  const vectors = (c & 3) == 0;
  const tiled = sh == kh && sw == kw && pt == 0 && pl == 0 && oh * sh == h && ow * sw == w;
  const disjoint = sh >= kh && sw >= kw;
  if (!(tiled && vectors)) memory.fill(dx, 0, <usize>(batch * h * w * c) << 2);
  const rowStride = <usize>(w * c) << 2;
  const pixel = <usize>c << 2;
  let o: usize = 0;
  for (let b = 0; b < batch; b++) {
    const base = <usize>(b * h) * rowStride;
    for (let i = 0; i < oh; i++) {
      const hStart = i * sh - pt;
      const h0 = max(hStart, 0);
      const rows = min(hStart + kh, h) - h0;
      for (let q = 0; q < ow; q++) {
        const wStart = q * sw - pl;
        const w0 = max(wStart, 0);
        const cols = min(wStart + kw, w) - w0;
        const corner = base + <usize>h0 * rowStride + (<usize>w0 * pixel);
        if (vectors) {
          for (let ch: usize = 0; ch < pixel; ch += 16, o += 16) {
            const m = v128.load(y + o), g = v128.load(dy + o);
            if (disjoint) windowGrad4(x, dx, corner + ch, m, g, rows, cols, rowStride, pixel, true);
            else windowGrad4(x, dx, corner + ch, m, g, rows, cols, rowStride, pixel, false);
          }
        } else {
          for (let ch = 0; ch < c; ch++, o += 4) {
            windowGrad1(x, dx, corner + (<usize>ch << 2), load<f32>(y + o), load<f32>(dy + o), rows, cols, rowStride, pixel);
          }
        }
      }
    }
  }
}

/**
 * One window, four channels at once, without branches on the data (ties after ReLU make the
 * position of the maximum unpredictable): each position takes the gradient of the lanes whose
 * maximum it holds and no earlier position held. m = -Infinity lanes take none (as the scalar
 * rule). `disjoint` (a constant): no other window touches these positions, so store, not add.
 */
@inline function windowGrad4(
  x: usize, dx: usize, start: usize, m: v128, g: v128, rows: i32, cols: i32, rowStride: usize, pixel: usize,
  disjoint: bool,
): void {
  let taken = f32x4.eq(m, f32x4.splat(-Infinity));
  let row = start;
  for (let r = 0; r < rows; r++, row += rowStride) {
    let p = row;
    for (let s = 0; s < cols; s++, p += pixel) {
      const hit = v128.andnot(f32x4.eq(v128.load(x + p), m), taken);
      taken = v128.or(taken, hit);
      if (disjoint) v128.store(dx + p, v128.and(g, hit));
      else accumulate(dx + p, v128.and(g, hit));
    }
  }
  if (!i32x4.all_true(taken)) windowGrad4Fallback(x, dx, start, g, taken, rows, cols, rowStride, pixel);
}

/** Lanes whose maximum no input equals (NaN): the cpu backend's rule, lane by lane. */
function windowGrad4Fallback(x: usize, dx: usize, start: usize, g: v128, taken: v128, rows: i32, cols: i32, rowStride: usize, pixel: usize): void {
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

// ---------------------------------------------------------------------------------------------
// Max pooling (forward)
//
// XNNPACK's max pooling in tfjs-backend-wasm re-creates its operator when the input moves, which
// costs as much as the pooling itself on training-sized batches; this is a plain SIMD loop over
// four channels at a time (channel counts that are a multiple of 4).
// ---------------------------------------------------------------------------------------------

/**
 * y [B, OH, OW, C] = maximum of each kh x kw window of x [B, H, W, C] (strides sh, sw; windows
 * start pt rows above and pl columns left of x, clipped to x). C must be a multiple of 4.
 */
export function maxPool(
  x: usize, y: usize,
  batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const rowStride = <usize>(w * c) << 2;
  const pixel = <usize>c << 2;
  let o = y;
  for (let b = 0; b < batch; b++) {
    const base = x + <usize>(b * h) * rowStride;
    for (let i = 0; i < oh; i++) {
      const hStart = i * sh - pt;
      const h0 = max(hStart, 0);
      const rows = min(hStart + kh, h) - h0;
      for (let q = 0; q < ow; q++) {
        const wStart = q * sw - pl;
        const w0 = max(wStart, 0);
        const cols = min(wStart + kw, w) - w0;
        const corner = base + <usize>h0 * rowStride + <usize>w0 * pixel;
        if (rows == 2 && cols == 2) {
          // The usual 2x2 window, unrolled.
          for (let ch: usize = 0; ch < pixel; ch += 16, o += 16) {
            const p = corner + ch;
            const top = f32x4.max(v128.load(p), v128.load(p + pixel));
            const bottom = f32x4.max(v128.load(p + rowStride), v128.load(p + rowStride + pixel));
            v128.store(o, f32x4.max(top, bottom));
          }
          continue;
        }
        for (let ch: usize = 0; ch < pixel; ch += 16, o += 16) {
          let m = f32x4.splat(-Infinity);
          let row = corner + ch;
          for (let r = 0; r < rows; r++, row += rowStride) {
            let p = row;
            for (let s = 0; s < cols; s++, p += pixel) m = f32x4.max(m, v128.load(p));
          }
          v128.store(o, m);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Element-wise kernels
//
// tfjs-backend-wasm 4.22 runs Add, Multiply and Step as scalar C++ loops that index every element
// through the broadcast shapes; a training step spends more time there (bias additions, ReLU
// gradients) than in some convolutions. These handle float32 operands where b is either a scalar,
// a tensor of a's shape, or a's trailing dimensions (a bias): b repeats every nb elements.
// ---------------------------------------------------------------------------------------------

const ADD = 0;
const MULTIPLY = 1;

@inline function applyVector(op: i32, a: v128, b: v128): v128 {
  return op == ADD ? f32x4.add(a, b) : f32x4.mul(a, b);
}

@inline function applyScalar(op: i32, a: f32, b: f32): f32 {
  return op == ADD ? a + b : a * b;
}

/** out[i] = a[i] (op) b[i % nb] for i < n; nb divides n. */
@inline function broadcastBinary(op: i32, a: usize, b: usize, out: usize, n: i32, nb: i32): void {
  const bytes = <usize>n << 2;
  if (nb == 1 || nb == n) {
    const vectorBytes = bytes & ~15;
    let i: usize = 0;
    if (nb == 1) {
      const bv = v128.load32_splat(b);
      for (; i < vectorBytes; i += 16) v128.store(out + i, applyVector(op, v128.load(a + i), bv));
      const bs = load<f32>(b);
      for (; i < bytes; i += 4) store<f32>(out + i, applyScalar(op, load<f32>(a + i), bs));
    } else {
      for (; i < vectorBytes; i += 16) v128.store(out + i, applyVector(op, v128.load(a + i), v128.load(b + i)));
      for (; i < bytes; i += 4) store<f32>(out + i, applyScalar(op, load<f32>(a + i), load<f32>(b + i)));
    }
    return;
  }
  const rowBytes = <usize>nb << 2;
  if ((nb & 3) == 0) {
    for (let row: usize = 0; row < bytes; row += rowBytes) {
      const ar = a + row, or = out + row;
      for (let k: usize = 0; k < rowBytes; k += 16) v128.store(or + k, applyVector(op, v128.load(ar + k), v128.load(b + k)));
    }
  } else {
    for (let row: usize = 0; row < bytes; row += rowBytes) {
      const ar = a + row, or = out + row;
      for (let k: usize = 0; k < rowBytes; k += 4) store<f32>(or + k, applyScalar(op, load<f32>(ar + k), load<f32>(b + k)));
    }
  }
}

/** out[i] = a[i] + b[i % nb] for i < n (nb divides n). */
export function addBroadcast(a: usize, b: usize, out: usize, n: i32, nb: i32): void {
  broadcastBinary(ADD, a, b, out, n, nb);
}

/** out[i] = a[i] * b[i % nb] for i < n (nb divides n). */
export function multiplyBroadcast(a: usize, b: usize, out: usize, n: i32, nb: i32): void {
  broadcastBinary(MULTIPLY, a, b, out, n, nb);
}

/** out[i] = NaN if x[i] is NaN, 1 if x[i] > 0, else alpha (tfjs Step: the ReLU gradient's mask). */
export function step(x: usize, out: usize, n: i32, alpha: f32): void {
  const bytes = <usize>n << 2;
  const vectorBytes = bytes & ~15;
  const one = f32x4.splat(1);
  const low = f32x4.splat(alpha);
  let i: usize = 0;
  for (; i < vectorBytes; i += 16) {
    const v = v128.load(x + i);
    const s = v128.bitselect(one, low, f32x4.gt(v, f32x4.splat(0)));
    v128.store(out + i, v128.bitselect(v, s, f32x4.ne(v, v)));
  }
  for (; i < bytes; i += 4) {
    const v = load<f32>(x + i);
    store<f32>(out + i, isNaN(v) ? v : v > 0 ? 1 : alpha);
  }
}

// ---------------------------------------------------------------------------------------------
// Zero padding and spreading
//
// Convolutions with padding, and the input gradient of strided ones, read x through a border of
// zeros (with stride - 1 zeros between the input gradient's pixels). tfjs-backend-wasm 4.22's
// PadV2 sets up an XNNPACK operator per call and costs a third of a small convolution; this is a
// fill and a copy of rows.
// ---------------------------------------------------------------------------------------------

/**
 * out [B, OH, OW, C] = zeros, then out[b, top + i*sh, left + j*sw, :] = x[b, i, j, :] for every
 * (i, j) of x [B, H, W, C] that lands inside out (negative top/left crop x).
 */
export function spreadPad(
  x: usize, out: usize,
  batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  top: i32, left: i32, sh: i32, sw: i32,
): void {
  const pixel = <usize>c << 2;
  memory.fill(out, 0, <usize>(batch * oh * ow) * pixel);
  // Columns of x that land inside out: j0 <= j < j1.
  const span = ow - 1 - left;
  if (span < 0) return;
  const j0 = left < 0 ? (-left + sw - 1) / sw : 0;
  const j1 = min(w, span / sw + 1);
  if (j1 <= j0) return;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      const r = top + i * sh;
      if (r < 0 || r >= oh) continue;
      let src = x + <usize>((b * h + i) * w + j0) * pixel;
      let dst = out + <usize>((b * oh + r) * ow + left + j0 * sw) * pixel;
      if (sw == 1) {
        memory.copy(dst, src, <usize>(j1 - j0) * pixel);
      } else {
        const step = <usize>sw * pixel;
        for (let j = j0; j < j1; j++, src += pixel, dst += step) memory.copy(dst, src, pixel);
      }
    }
  }
}

/** out [cols, rows] = transpose of x [rows, cols] (matrix products with a transposed operand). */
export function transpose2d(x: usize, out: usize, rows: i32, cols: i32): void {
  // Blocks of 16 x 16 keep both the rows read and the rows written in L1.
  for (let r0 = 0; r0 < rows; r0 += 16) {
    const r1 = min(rows, r0 + 16);
    for (let c0 = 0; c0 < cols; c0 += 16) {
      const c1 = min(cols, c0 + 16);
      for (let c = c0; c < c1; c++) {
        let src = x + (<usize>(r0 * cols + c) << 2);
        let dst = out + (<usize>(c * rows + r0) << 2);
        for (let r = r0; r < r1; r++, src += <usize>cols << 2, dst += 4) store<f32>(dst, load<f32>(src));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sums over leading axes
//
// Bias and batch-norm gradients sum an activation over batch, height and width: the tensor is
// [outer, rows, inner] and every (outer, inner) column is summed over rows. Up to 16 columns are
// summed at once, in blocks of 64 rows whose partial sums are then added (the error grows with
// the number of terms in a sum, so blocks keep it close to a pairwise sum's).
// ---------------------------------------------------------------------------------------------

/** `vectors` (a constant 1-4) x 4 columns from x, the last vector holding `lanes` (a constant 1-4) real ones. */
@inline function sumColumns(x: usize, out: usize, rows: i32, rowBytes: usize, scale: v128, vectors: i32, lanes: i32): void {
  let t0 = f32x4.splat(0), t1 = t0, t2 = t0, t3 = t0;
  for (let r0 = 0; r0 < rows; r0 += 64) {
    const r1 = min(rows, r0 + 64);
    let p0 = f32x4.splat(0), p1 = p0, p2 = p0, p3 = p0;
    let p = x + <usize>r0 * rowBytes;
    for (let r = r0; r < r1; r++, p += rowBytes) {
      if (vectors == 1) {
        p0 = f32x4.add(p0, loadLanes(p, lanes));
      } else {
        p0 = f32x4.add(p0, v128.load(p));
        if (vectors == 2) p1 = f32x4.add(p1, loadLanes(p + 16, lanes));
        if (vectors > 2) p1 = f32x4.add(p1, v128.load(p, 16));
        if (vectors == 3) p2 = f32x4.add(p2, loadLanes(p + 32, lanes));
        if (vectors > 3) { p2 = f32x4.add(p2, v128.load(p, 32)); p3 = f32x4.add(p3, loadLanes(p + 48, lanes)); }
      }
    }
    t0 = f32x4.add(t0, p0); t1 = f32x4.add(t1, p1); t2 = f32x4.add(t2, p2); t3 = f32x4.add(t3, p3);
  }
  if (vectors == 1) { storeLanes(out, f32x4.mul(t0, scale), lanes); return; }
  v128.store(out, f32x4.mul(t0, scale));
  if (vectors == 2) storeLanes(out + 16, f32x4.mul(t1, scale), lanes);
  if (vectors > 2) v128.store(out, f32x4.mul(t1, scale), 16);
  if (vectors == 3) storeLanes(out + 32, f32x4.mul(t2, scale), lanes);
  if (vectors > 3) { v128.store(out, f32x4.mul(t2, scale), 32); storeLanes(out + 48, f32x4.mul(t3, scale), lanes); }
}

/** out [outer, inner] = scale * (sum over rows of x [outer, rows, inner]). */
export function sumRows(x: usize, out: usize, outer: i32, rows: i32, inner: i32, scale: f32): void {
  const rowBytes = <usize>inner << 2;
  const s = f32x4.splat(scale);
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>rows * rowBytes;
    const oo = out + <usize>o * rowBytes;
    let i = 0;
    for (; i + 16 <= inner; i += 16) sumColumns(xo + (<usize>i << 2), oo + (<usize>i << 2), rows, rowBytes, s, 4, 4);
    const left = inner - i;
    const xi = xo + (<usize>i << 2), oi = oo + (<usize>i << 2);
    // 1-15 columns left: 1-4 vectors, the last one partial.
    const vectors = (left + 3) >> 2;
    const lanes = left - (vectors - 1) * 4;
    if (vectors == 4) {
      if (lanes == 4) sumColumns(xi, oi, rows, rowBytes, s, 4, 4);
      else if (lanes == 3) sumColumns(xi, oi, rows, rowBytes, s, 4, 3);
      else if (lanes == 2) sumColumns(xi, oi, rows, rowBytes, s, 4, 2);
      else sumColumns(xi, oi, rows, rowBytes, s, 4, 1);
    } else if (vectors == 3) {
      if (lanes == 4) sumColumns(xi, oi, rows, rowBytes, s, 3, 4);
      else if (lanes == 3) sumColumns(xi, oi, rows, rowBytes, s, 3, 3);
      else if (lanes == 2) sumColumns(xi, oi, rows, rowBytes, s, 3, 2);
      else sumColumns(xi, oi, rows, rowBytes, s, 3, 1);
    } else if (vectors == 2) {
      if (lanes == 4) sumColumns(xi, oi, rows, rowBytes, s, 2, 4);
      else if (lanes == 3) sumColumns(xi, oi, rows, rowBytes, s, 2, 3);
      else if (lanes == 2) sumColumns(xi, oi, rows, rowBytes, s, 2, 2);
      else sumColumns(xi, oi, rows, rowBytes, s, 2, 1);
    } else if (vectors == 1) {
      if (lanes == 4) sumColumns(xi, oi, rows, rowBytes, s, 1, 4);
      else if (lanes == 3) sumColumns(xi, oi, rows, rowBytes, s, 1, 3);
      else if (lanes == 2) sumColumns(xi, oi, rows, rowBytes, s, 1, 2);
      else sumColumns(xi, oi, rows, rowBytes, s, 1, 1);
    }
  }
}
