import { describe, expect, it } from 'vitest';
import { TRAINING_KERNELS_WASM_BASE64 } from '../src/wasm/training-kernels.wasm.js';
import type { TrainingKernels } from '../src/wasm/training-kernels.js';
// @ts-expect-error: a plain ES module (the build script), without type declarations.
import { compileKernels, renderModule } from '../src/wasm/build-wasm.mjs';

const binary = Buffer.from(TRAINING_KERNELS_WASM_BASE64, 'base64');

/** Section ids of a WebAssembly binary, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at++]!;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      size |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    ids.push(id);
    at += size;
  }
  return ids;
}

describe('the training kernels WebAssembly module', () => {
  it('is the compilation of training-kernels.as (run `npm run build:wasm` after editing it)', async () => {
    const { binary: fresh } = (await compileKernels()) as { binary: Uint8Array };
    expect(renderModule(fresh)).toBe(renderModule(binary));
  }, 120_000);

  it('imports only the host memory and carries no data segment (it writes only where it is told)', () => {
    const module = new WebAssembly.Module(binary);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const ids = sectionIds(binary);
    expect(ids).not.toContain(11); // data
    expect(ids).not.toContain(12); // data count
    const exported = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(exported).toEqual(expect.arrayContaining([
      'conv2dFilterGrad', 'conv2dValid', 'maxPoolGrad', 'maxPool', 'spreadPad', 'addBroadcast',
      'multiplyBroadcast', 'step', 'transpose2d',
    ]));
  });
});

describe('the training kernels touch no memory outside their output', () => {
  const memory = new WebAssembly.Memory({ initial: 16 });
  const kernels = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory } }).exports as unknown as TrainingKernels;
  const heap = new Float32Array(memory.buffer);
  const SENTINEL = 12345.5;

  /** Lays out float32 arrays one after another (unaligned on purpose), the rest of memory set to a sentinel. */
  function layout(sizes: number[]): { offsets: number[]; end: number } {
    heap.fill(SENTINEL);
    const offsets: number[] = [];
    let at = 3; // floats: not 16-byte aligned
    for (const size of sizes) {
      offsets.push(at);
      for (let i = 0; i < size; i++) heap[at + i] = ((i * 7919) % 23) / 11 - 1;
      at += size + 5;
    }
    return { offsets, end: at };
  }

  /** Runs `kernel`, then checks that no float outside out [from, to) changed (inputs and padding included). */
  function expectWritesOnlyTo(from: number, to: number, end: number, kernel: () => void): void {
    heap.fill(SENTINEL, from, to);
    const before = heap.slice(0, end + 64);
    kernel();
    let changedOutside = 0;
    for (let i = 0; i < before.length; i++) {
      if ((i < from || i >= to) && !Object.is(heap[i], before[i])) changedOutside++;
    }
    expect(changedOutside).toBe(0);
    expect(heap.subarray(from, to).includes(SENTINEL)).toBe(false);
  }

  it('conv2dFilterGrad with 1-3 leftover output channels', () => {
    for (const co of [5, 6, 7, 9, 19]) {
      const [B, H, W, C, KH, KW] = [2, 6, 5, 3, 3, 2];
      const OH = H - KH + 1;
      const OW = W - KW + 1;
      const { offsets: [x, dy, dw], end } = layout([B * H * W * C, B * OH * OW * co, KH * KW * C * co]);
      expectWritesOnlyTo(dw!, dw! + KH * KW * C * co, end, () =>
        kernels.conv2dFilterGrad(x! * 4, dy! * 4, dw! * 4, B, H, W, C, OH, OW, co, KH, KW, 1, 1));
    }
  });

  it('conv2dValid with 1-3 leftover output channels and pixels', () => {
    for (const co of [1, 2, 3, 5, 10, 21]) {
      const [B, H, W, C, KH, KW] = [2, 5, 7, 2, 2, 3];
      const OH = H - KH + 1;
      const OW = W - KW + 1;
      const { offsets: [x, w, out], end } = layout([B * H * W * C, KH * KW * C * co, B * OH * OW * co]);
      expectWritesOnlyTo(out!, out! + B * OH * OW * co, end, () =>
        kernels.conv2dValid(x! * 4, w! * 4, out! * 4, B, H, W, C, OH, OW, co, KH, KW, 1, 1, 0, H, 1));
    }
  });

  it('maxPoolGrad and maxPool, four channels at a time and one by one', () => {
    for (const c of [4, 3]) {
      const [B, H, W, OH, OW] = [2, 6, 6, 3, 3];
      const { offsets: [x, y, dy, dx], end } = layout([B * H * W * c, B * OH * OW * c, B * OH * OW * c, B * H * W * c]);
      expectWritesOnlyTo(y!, y! + B * OH * OW * c, end, () => {
        if (c === 4) kernels.maxPool(x! * 4, y! * 4, B, H, W, c, OH, OW, 2, 2, 2, 2, 0, 0);
        else for (let i = 0; i < B * OH * OW * c; i++) heap[y! + i] = heap[x! + i]!; // any values: searched, never written
      });
      expectWritesOnlyTo(dx!, dx! + B * H * W * c, end, () =>
        kernels.maxPoolGrad(x! * 4, y! * 4, dy! * 4, dx! * 4, B, H, W, c, OH, OW, 2, 2, 2, 2, 0, 0));
    }
  });

  it('sumRows with 1-19 columns', () => {
    for (const inner of [1, 3, 4, 6, 13, 16, 19]) {
      const [outer, rows] = [2, 70];
      const { offsets: [x, out], end } = layout([outer * rows * inner, outer * inner]);
      expectWritesOnlyTo(out!, out! + outer * inner, end, () => kernels.sumRows(x! * 4, out! * 4, outer, rows, inner, 0.5));
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let sum = 0;
          for (let r = 0; r < rows; r++) sum += heap[x! + (o * rows + r) * inner + i]!;
          expect(heap[out! + o * inner + i]).toBeCloseTo(0.5 * sum, 3);
        }
      }
    }
  });

  it('spreadPad, step, addBroadcast and transpose2d', () => {
    {
      const { offsets: [x, out], end } = layout([2 * 3 * 3 * 2, 2 * 8 * 8 * 2]);
      expectWritesOnlyTo(out!, out! + 2 * 8 * 8 * 2, end, () => kernels.spreadPad(x! * 4, out! * 4, 2, 3, 3, 2, 8, 8, 2, 1, 2, 3));
    }
    {
      const { offsets: [x, out], end } = layout([13, 13]);
      expectWritesOnlyTo(out!, out! + 13, end, () => kernels.step(x! * 4, out! * 4, 13, 0));
    }
    {
      const { offsets: [a, b, out], end } = layout([15, 3, 15]);
      expectWritesOnlyTo(out!, out! + 15, end, () => kernels.addBroadcast(a! * 4, b! * 4, out! * 4, 15, 3));
      for (let i = 0; i < 15; i++) expect(heap[out! + i]).toBeCloseTo(heap[a! + i]! + heap[b! + (i % 3)]!, 5);
    }
    {
      const { offsets: [x, out], end } = layout([17 * 5, 17 * 5]);
      expectWritesOnlyTo(out!, out! + 17 * 5, end, () => kernels.transpose2d(x! * 4, out! * 4, 17, 5));
      for (let r = 0; r < 17; r++) for (let c = 0; c < 5; c++) expect(heap[out! + c * 17 + r]).toBe(heap[x! + r * 5 + c]);
    }
  });
});
