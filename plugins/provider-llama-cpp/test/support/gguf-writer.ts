import { writeFile } from 'node:fs/promises';

/**
 * A minimal GGUF v3 writer: typed key/value metadata and F32 tensors, laid out as llama.cpp's
 * loader expects (header, metadata, tensor infos, padding, aligned tensor data).
 *
 * Written here because no maintained npm package writes GGUF (node-llama-cpp only reads it), and
 * the tests need a real model file without downloading one.
 */

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const GGUF_VERSION = 3;
/** Tensor data alignment; llama.cpp's default when `general.alignment` is absent. */
export const GGUF_ALIGNMENT = 32;

/** GGUF metadata value type ids. */
const ValueType = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

type ScalarType = 'uint32' | 'int32' | 'float32' | 'bool' | 'string' | 'uint64';

/** One typed metadata value. */
export type GgufValue =
  | { type: 'uint32' | 'int32' | 'float32'; value: number }
  | { type: 'uint64'; value: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; itemType: 'string'; values: readonly string[] }
  | { type: 'array'; itemType: 'float32' | 'int32' | 'uint32'; values: readonly number[] };

/** A tensor stored as F32. `shape` is in ggml order: the fastest-varying dimension first. */
export interface GgufTensor {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

/** ggml_type id of F32. */
const GGML_TYPE_F32 = 0;

export const gguf = {
  u32: (value: number): GgufValue => ({ type: 'uint32', value }),
  i32: (value: number): GgufValue => ({ type: 'int32', value }),
  f32: (value: number): GgufValue => ({ type: 'float32', value }),
  bool: (value: boolean): GgufValue => ({ type: 'bool', value }),
  str: (value: string): GgufValue => ({ type: 'string', value }),
  strings: (values: readonly string[]): GgufValue => ({ type: 'array', itemType: 'string', values }),
  f32s: (values: readonly number[]): GgufValue => ({ type: 'array', itemType: 'float32', values }),
  i32s: (values: readonly number[]): GgufValue => ({ type: 'array', itemType: 'int32', values }),
};

/** Appends little-endian binary values to a list of chunks. */
class ByteSink {
  private readonly chunks: Buffer[] = [];
  length = 0;

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }

  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }

  u64(value: bigint | number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }

  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }

  u8(value: number): void {
    this.push(Buffer.from([value]));
  }

  /** GGUF string: uint64 byte length, then UTF-8 bytes without a terminator. */
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }

  bytes(value: Uint8Array): void {
    this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }

  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    if (pad > 0) this.push(Buffer.alloc(pad));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeScalar(sink: ByteSink, type: ScalarType, value: number | bigint | boolean | string): void {
  switch (type) {
    case 'uint32':
      sink.u32(value as number);
      return;
    case 'int32':
      sink.i32(value as number);
      return;
    case 'float32':
      sink.f32(value as number);
      return;
    case 'bool':
      sink.u8(value ? 1 : 0);
      return;
    case 'string':
      sink.string(value as string);
      return;
    case 'uint64':
      sink.u64(value as bigint);
      return;
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  if (value.type === 'array') {
    sink.u32(ValueType.array);
    sink.u32(ValueType[value.itemType]);
    sink.u64(value.values.length);
    for (const item of value.values) writeScalar(sink, value.itemType, item);
    return;
  }
  sink.u32(ValueType[value.type]);
  writeScalar(sink, value.type, value.value);
}

/** Serialises a GGUF v3 file into memory. */
export function encodeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
  const sink = new ByteSink();
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(tensors.length);
  sink.u64(metadata.size);
  for (const [key, value] of metadata) {
    sink.string(key);
    writeValue(sink, value);
  }

  // Tensor offsets are relative to the start of the data section and each one is aligned.
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    if (elements !== tensor.data.length) {
      throw new Error(`tensor ${tensor.name}: shape [${tensor.shape.join(', ')}] needs ${elements} values, got ${tensor.data.length}`);
    }
    offsets.push(offset);
    offset += Math.ceil(tensor.data.byteLength / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  tensors.forEach((tensor, i) => {
    sink.string(tensor.name);
    sink.u32(tensor.shape.length);
    for (const dim of tensor.shape) sink.u64(dim);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offsets[i] ?? 0);
  });

  sink.padTo(GGUF_ALIGNMENT);
  for (const tensor of tensors) {
    sink.bytes(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    sink.padTo(GGUF_ALIGNMENT);
  }
  return sink.toBuffer();
}

/** Writes a GGUF v3 file. */
export async function writeGguf(
  path: string,
  metadata: ReadonlyMap<string, GgufValue>,
  tensors: readonly GgufTensor[],
): Promise<void> {
  await writeFile(path, encodeGguf(metadata, tensors));
}
