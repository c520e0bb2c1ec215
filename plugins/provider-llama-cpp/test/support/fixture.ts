import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyLlama, type TinyLlamaOptions } from './tiny-llama.js';

/** A temporary folder holding a freshly written tiny GGUF model. */
export interface TinyModelFixture {
  dir: string;
  modelPath: string;
  cleanup(): Promise<void>;
}

export async function tinyModelFixture(options: TinyLlamaOptions = {}): Promise<TinyModelFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'llmatic-llama-cpp-'));
  const modelPath = join(dir, 'tiny-llama.gguf');
  await writeTinyLlama(modelPath, options);
  return { dir, modelPath, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Provider options for tests: CPU only, one thread (the machine is small and shared; ggml's
 * worker threads spin, so more threads than free cores makes generation much slower).
 */
export const TEST_RUNTIME = { gpu: false, threads: 1, progress: false } as const;
