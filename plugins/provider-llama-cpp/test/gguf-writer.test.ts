import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GgmlType, readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGguf, gguf, GGUF_ALIGNMENT, writeGguf } from './support/gguf-writer.js';
import { tinyModelFixture, type TinyModelFixture } from './support/fixture.js';
import { TINY_TOKENS } from './support/tiny-llama.js';

// The test model's file format, checked with node-llama-cpp's own GGUF reader.

let fixture: TinyModelFixture;

beforeAll(async () => {
  fixture = await tinyModelFixture();
});

afterAll(async () => {
  await fixture?.cleanup();
});

describe('GGUF writer', () => {
  it('writes typed metadata and aligned F32 tensors that a GGUF reader reads back', async () => {
    const path = join(fixture.dir, 'small.gguf');
    const metadata = new Map([
      ['general.architecture', gguf.str('llama')],
      ['test.count', gguf.u32(7)],
      ['test.ratio', gguf.f32(0.5)],
      ['test.flag', gguf.bool(true)],
      ['test.words', gguf.strings(['a', 'ünï', ''])],
      ['test.ids', gguf.i32s([1, -2, 3])],
    ]);
    const tensors = [
      { name: 'odd', shape: [3], data: new Float32Array([1, 2, 3]) },
      { name: 'matrix', shape: [4, 2], data: Float32Array.from({ length: 8 }, (_, i) => i / 8) },
    ];
    await writeGguf(path, metadata, tensors);

    const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata).toMatchObject({
      general: { architecture: 'llama' },
      test: { count: 7, ratio: 0.5, flag: true, words: ['a', 'ünï', ''], ids: [1, -2, 3] },
    });
    expect(info.tensorInfo?.map((t) => [t.name, t.dimensions.map(Number), t.ggmlType])).toEqual([
      ['odd', [3], GgmlType.F32],
      ['matrix', [4, 2], GgmlType.F32],
    ]);

    // Tensor data starts aligned and each tensor's offset is aligned.
    const bytes = await readFile(path);
    const dataStart = bytes.length - 2 * GGUF_ALIGNMENT; // two tensors of at most 32 bytes each
    expect(dataStart % GGUF_ALIGNMENT).toBe(0);
    const offsets = info.tensorInfo?.map((t) => Number(t.offset)) ?? [];
    expect(offsets).toEqual([0, GGUF_ALIGNMENT]);
    expect(bytes.readFloatLE(dataStart + 8)).toBe(3);
    expect(bytes.readFloatLE(dataStart + GGUF_ALIGNMENT + 4 * 7)).toBe(7 / 8);
  });

  it('refuses a tensor whose data does not fill its shape', () => {
    expect(() => encodeGguf(new Map(), [{ name: 'bad', shape: [2, 2], data: new Float32Array(3) }])).toThrow(
      /bad: shape \[2, 2\] needs 4 values, got 3/,
    );
  });
});

describe('tiny llama model', () => {
  it('has the llama metadata, tokenizer and tensors llama.cpp needs', async () => {
    const info = await readGgufFileInfo(fixture.modelPath, { readTensorInfo: true, logWarnings: false });
    const md = info.metadata as unknown as {
      general: { architecture: string };
      llama: Record<string, unknown>;
      tokenizer: { ggml: { model: string; tokens: string[]; token_type: number[]; bos_token_id: number; eos_token_id: number } };
    };
    expect(md.general.architecture).toBe('llama');
    expect(md.llama).toMatchObject({
      context_length: 1024,
      embedding_length: 64,
      block_count: 2,
      feed_forward_length: 128,
      attention: { head_count: 4, head_count_kv: 2 },
      rope: { dimension_count: 16 },
    });
    const tokenizer = md.tokenizer.ggml;
    expect(tokenizer.model).toBe('llama');
    expect(tokenizer.tokens[TINY_TOKENS.bos]).toBe('<s>');
    expect(tokenizer.tokens[TINY_TOKENS.eos]).toBe('</s>');
    expect(tokenizer.tokens).toContain('<0x0A>');
    expect(tokenizer.tokens).toContain('|');
    expect(tokenizer.token_type).toHaveLength(tokenizer.tokens.length);

    const names = info.tensorInfo?.map((t) => t.name) ?? [];
    expect(names).toEqual(
      expect.arrayContaining([
        'token_embd.weight',
        'output_norm.weight',
        'output.weight',
        'blk.1.attn_q.weight',
        'blk.1.attn_k.weight',
        'blk.1.attn_v.weight',
        'blk.1.attn_output.weight',
        'blk.1.ffn_gate.weight',
        'blk.1.ffn_up.weight',
        'blk.1.ffn_down.weight',
      ]),
    );
    expect(names).toHaveLength(3 + 2 * 9);
  });
});
