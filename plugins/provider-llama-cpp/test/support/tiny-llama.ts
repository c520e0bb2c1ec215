import { Rng } from '@llmatic/core';
import { gguf, writeGguf, type GgufTensor, type GgufValue } from './gguf-writer.js';

/**
 * A tiny llama-architecture model with random weights and a SentencePiece-style ("llama")
 * tokenizer whose vocabulary is: the special tokens, the 256 byte-fallback tokens, and one token
 * per printable ASCII character (space as "▁"). Every string can be tokenized, and every string a
 * grammar allows can be generated character by character.
 */
export interface TinyLlamaOptions {
  /** Seed of the random weights. */
  seed?: number;
  embeddingLength?: number;
  blockCount?: number;
  headCount?: number;
  /** Fewer KV heads than query heads exercises grouped-query attention. */
  headCountKv?: number;
  feedForwardLength?: number;
  contextLength?: number;
}

/** llama.cpp token types (llama_token_type). */
const TokenType = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** Token ids the chat template and the tests rely on. */
export const TINY_TOKENS = { unk: 0, bos: 1, eos: 2, imStart: 3, imEnd: 4 } as const;

/** A ChatML template (Jinja), so that chat requests are rendered with the model's own template. */
const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
}

function buildVocab(): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const add = (text: string, type: number, score: number): void => {
    tokens.push(text);
    types.push(type);
    scores.push(score);
  };
  add('<unk>', TokenType.unknown, 0);
  add('<s>', TokenType.control, 0);
  add('</s>', TokenType.control, 0);
  add('<|im_start|>', TokenType.control, 0);
  add('<|im_end|>', TokenType.control, 0);
  // Byte fallback: llama.cpp maps characters missing from the vocabulary (and "\n") to these.
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, TokenType.byte, 0);
  // SentencePiece writes a space as U+2581.
  add('\u2581', TokenType.normal, -1);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), TokenType.normal, -1);
  return { tokens, scores, types };
}

/** First embedding component shared by all tokens; it carries the logit bias. */
const BIAS_FEATURE = 6;

/**
 * Logit bias of a token, so that the random model writes mostly printable text with frequent line
 * ends (a grammar's free-text parts end soon) and rarely ends or emits control tokens unasked.
 */
function logitBias(id: number, text: string, type: number): number {
  if (id === TINY_TOKENS.eos || id === TINY_TOKENS.imEnd) return -4;
  if (type === TokenType.control || type === TokenType.unknown) return -10;
  // Printable bytes have character tokens of their own; the other bytes are rarely useful.
  if (type === TokenType.byte) return text === '<0x0A>' ? 1.5 : -6;
  return 0;
}

/** Dense F32 tensor filled with N(0, std²)-ish values (sum of uniforms), in ggml shape order. */
function randomTensor(rng: Rng, name: string, shape: readonly number[], std: number): GgufTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  // Irwin–Hall with 3 uniforms: mean 0, variance 3/12 = 1/4, so scale by 2·std.
  for (let i = 0; i < size; i++) data[i] = (rng.float() + rng.float() + rng.float() - 1.5) * 2 * std;
  return { name, shape, data };
}

function onesTensor(name: string, length: number): GgufTensor {
  return { name, shape: [length], data: new Float32Array(length).fill(1) };
}

/** Builds the metadata and tensors of the tiny model. */
export function tinyLlama(options: TinyLlamaOptions = {}): { metadata: Map<string, GgufValue>; tensors: GgufTensor[] } {
  const nEmbd = options.embeddingLength ?? 64;
  const nLayer = options.blockCount ?? 2;
  const nHead = options.headCount ?? 4;
  const nHeadKv = options.headCountKv ?? 2;
  const nFf = options.feedForwardLength ?? 128;
  const nCtx = options.contextLength ?? 1024;
  if (nEmbd % nHead !== 0) throw new Error(`embeddingLength ${nEmbd} must be a multiple of headCount ${nHead}`);
  const headDim = nEmbd / nHead;
  const vocab = buildVocab();
  const nVocab = vocab.tokens.length;
  const rng = Rng.fromSeed(options.seed ?? 7);

  const metadata = new Map<string, GgufValue>([
    ['general.architecture', gguf.str('llama')],
    ['general.name', gguf.str('llmatic-tiny-test-llama')],
    ['general.file_type', gguf.u32(0)], // all F32
    ['llama.context_length', gguf.u32(nCtx)],
    ['llama.embedding_length', gguf.u32(nEmbd)],
    ['llama.block_count', gguf.u32(nLayer)],
    ['llama.feed_forward_length', gguf.u32(nFf)],
    ['llama.attention.head_count', gguf.u32(nHead)],
    ['llama.attention.head_count_kv', gguf.u32(nHeadKv)],
    ['llama.rope.dimension_count', gguf.u32(headDim)],
    ['llama.rope.freq_base', gguf.f32(10000)],
    ['llama.attention.layer_norm_rms_epsilon', gguf.f32(1e-5)],
    ['llama.vocab_size', gguf.u32(nVocab)],
    ['tokenizer.ggml.model', gguf.str('llama')],
    ['tokenizer.ggml.tokens', gguf.strings(vocab.tokens)],
    ['tokenizer.ggml.scores', gguf.f32s(vocab.scores)],
    ['tokenizer.ggml.token_type', gguf.i32s(vocab.types)],
    ['tokenizer.ggml.unknown_token_id', gguf.u32(TINY_TOKENS.unk)],
    ['tokenizer.ggml.bos_token_id', gguf.u32(TINY_TOKENS.bos)],
    ['tokenizer.ggml.eos_token_id', gguf.u32(TINY_TOKENS.eos)],
    ['tokenizer.ggml.eot_token_id', gguf.u32(TINY_TOKENS.imEnd)],
    ['tokenizer.ggml.add_bos_token', gguf.bool(true)],
    ['tokenizer.ggml.add_eos_token', gguf.bool(false)],
    ['tokenizer.chat_template', gguf.str(CHAT_TEMPLATE)],
  ]);

  const weightStd = 1 / Math.sqrt(nEmbd);
  // Every embedding has a large constant first component, so the final normalised hidden state
  // has a nearly constant first component `h0` too: through it, the first column of
  // output.weight acts as a per-token logit bias (see logitBias).
  const embedding = randomTensor(rng, 'token_embd.weight', [nEmbd, nVocab], 1);
  for (let t = 0; t < nVocab; t++) embedding.data[t * nEmbd] = BIAS_FEATURE;
  const h0 = BIAS_FEATURE / Math.sqrt((BIAS_FEATURE ** 2 + nEmbd - 1) / nEmbd);

  const tensors: GgufTensor[] = [embedding];
  for (let i = 0; i < nLayer; i++) {
    const blk = `blk.${i}`;
    tensors.push(
      onesTensor(`${blk}.attn_norm.weight`, nEmbd),
      randomTensor(rng, `${blk}.attn_q.weight`, [nEmbd, headDim * nHead], weightStd),
      randomTensor(rng, `${blk}.attn_k.weight`, [nEmbd, headDim * nHeadKv], weightStd),
      randomTensor(rng, `${blk}.attn_v.weight`, [nEmbd, headDim * nHeadKv], weightStd),
      randomTensor(rng, `${blk}.attn_output.weight`, [headDim * nHead, nEmbd], weightStd),
      onesTensor(`${blk}.ffn_norm.weight`, nEmbd),
      randomTensor(rng, `${blk}.ffn_gate.weight`, [nEmbd, nFf], weightStd),
      randomTensor(rng, `${blk}.ffn_up.weight`, [nEmbd, nFf], weightStd),
      randomTensor(rng, `${blk}.ffn_down.weight`, [nFf, nEmbd], 1 / Math.sqrt(nFf)),
    );
  }
  tensors.push(onesTensor('output_norm.weight', nEmbd));

  // Random logits with a standard deviation of about 0.5 on top of the bias: sampling at
  // temperature 1 is close to uniform over the printable characters a grammar allows.
  const output = randomTensor(rng, 'output.weight', [nEmbd, nVocab], 0.5 * weightStd);
  for (let t = 0; t < nVocab; t++) {
    output.data[t * nEmbd] = logitBias(t, vocab.tokens[t] ?? '', vocab.types[t] ?? TokenType.normal) / h0;
  }
  tensors.push(output);
  return { metadata, tensors };
}

/** Writes the tiny model to `path` (about 0.5 MB with the defaults). */
export async function writeTinyLlama(path: string, options: TinyLlamaOptions = {}): Promise<void> {
  const { metadata, tensors } = tinyLlama(options);
  await writeGguf(path, metadata, tensors);
}
