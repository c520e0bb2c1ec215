import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { LLMError } from '@llmatic/core';
import { defaultCacheDir, llamaCpp, parseModelSource } from '@llmatic/provider-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tinyModelFixture, TEST_RUNTIME, type TinyModelFixture } from './support/fixture.js';
import { serveFile, type StaticFileServer } from './support/static-server.js';

let fixture: TinyModelFixture;

beforeAll(async () => {
  fixture = await tinyModelFixture();
});

afterAll(async () => {
  await fixture?.cleanup();
});

/** A loopback port that was just free and is closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function checkError(model: string, cacheDir: string): Promise<LLMError> {
  const provider = llamaCpp({ model, cacheDir, ...TEST_RUNTIME });
  const error = await provider.check().catch((e: unknown) => e);
  await provider.close();
  expect(error).toBeInstanceOf(LLMError);
  return error as LLMError;
}

describe('a missing model', () => {
  it('is a fatal model-missing error that names the path and how to provide the model', async () => {
    const cacheDir = join(fixture.dir, 'cache');
    const missing = join(fixture.dir, 'absent.gguf');
    const error = await checkError(missing, cacheDir);
    expect(error).toMatchObject({ kind: 'model-missing', fatal: true });
    expect(error.message).toContain(missing);
    expect(error.message).toContain(cacheDir);
    expect(error.message).toMatch(/hf:/);
  });

  it('that cannot be downloaded is a fatal model-missing error that names the cache', async () => {
    const cacheDir = join(fixture.dir, 'offline-cache');
    // A loopback port that nothing listens on: the connection is refused, as without internet.
    const url = `http://127.0.0.1:${await closedPort()}/models/unreachable.gguf`;
    const error = await checkError(url, cacheDir);
    expect(error).toMatchObject({ kind: 'model-missing', fatal: true });
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toContain(`is not in the cache at ${cacheDir}`);
    expect(error.message).toMatch(/machine with internet access/);
  });

  it('that is not a GGUF file is a fatal error with llama.cpp\'s reason', async () => {
    const error = await checkError(join(fixture.dir), join(fixture.dir, 'cache'));
    expect(error).toMatchObject({ kind: 'model-missing', fatal: true });
    const { writeFile } = await import('node:fs/promises');
    const junk = join(fixture.dir, 'junk.gguf');
    await writeFile(junk, 'not a model');
    const junkError = await checkError(junk, join(fixture.dir, 'cache'));
    expect(junkError).toMatchObject({ kind: 'model-missing', fatal: true });
    expect(junkError.message).toContain(`could not load the model file ${junk}`);
  });
});

describe('a model URI', () => {
  let server: StaticFileServer;

  beforeAll(async () => {
    server = await serveFile(fixture.modelPath, '/models/tiny-llama.gguf');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('is downloaded into the cache on first use, then loaded from the cache offline', async () => {
    const cacheDir = join(fixture.dir, 'download-cache');
    const first = llamaCpp({ model: server.url, cacheDir, ...TEST_RUNTIME, progress: true });
    let written = '';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      written += String(chunk);
      return true;
    });
    try {
      await first.check();
    } finally {
      stderr.mockRestore();
    }
    expect(server.gets).toBeGreaterThan(0);
    // Progress goes to stderr (a bar on a terminal; these lines otherwise).
    expect(written).toContain(`Downloading model ${server.url} into ${cacheDir}`);
    expect(written).toContain(`Downloaded model to ${join(cacheDir, 'tiny-llama.gguf')}`);
    expect(await readdir(cacheDir)).toEqual(['tiny-llama.gguf']);
    expect(first.info?.modelPath).toBe(join(cacheDir, 'tiny-llama.gguf'));
    const reply = await first.generate({ prompt: 'x', temperature: 1, maxTokens: 4, seed: 1 });
    expect(reply.text.length).toBeGreaterThan(0);
    await first.close();

    // Second run without the server: the cached file is used and nothing is fetched.
    await server.close();
    const second = llamaCpp({ model: server.url, cacheDir, ...TEST_RUNTIME });
    await second.check();
    expect(second.info?.modelPath).toBe(join(cacheDir, 'tiny-llama.gguf'));
    await second.close();
  });
});

describe('parseModelSource', () => {
  it('tells local paths from URIs', () => {
    expect(parseModelSource('models/m.gguf')).toEqual({ kind: 'file', path: resolve('models/m.gguf') });
    expect(parseModelSource('/abs/m.gguf')).toEqual({ kind: 'file', path: '/abs/m.gguf' });
    expect(parseModelSource('file:///abs/m.gguf')).toEqual({ kind: 'file', path: '/abs/m.gguf' });
    expect(parseModelSource('hf:user/repo/m.Q4_K_M.gguf')).toEqual({ kind: 'uri', uri: 'hf:user/repo/m.Q4_K_M.gguf' });
    expect(parseModelSource('hf:user/repo:Q4_K_M')).toEqual({ kind: 'uri', uri: 'hf:user/repo:Q4_K_M' });
    expect(parseModelSource('https://example.org/a/My%20Model.gguf?download=1')).toEqual({
      kind: 'uri',
      uri: 'https://example.org/a/My%20Model.gguf?download=1',
      fileName: 'My Model.gguf',
    });
  });
});

describe('options', () => {
  it('rejects invalid options with a message naming the option', () => {
    expect(() => llamaCpp({ model: '' })).toThrow(/model/);
    expect(() => llamaCpp({ model: 'm.gguf', contexts: 0 })).toThrow(/contexts/);
    expect(() => llamaCpp({ model: 'm.gguf', gpu: 'cuda' as never })).toThrow(/gpu/);
    expect(() => llamaCpp({ model: 'm.gguf', unknown: 1 } as never)).toThrow(/unknown/);
  });

  it('keeps downloads in ~/.cache/llmatic/models by default', () => {
    expect(defaultCacheDir()).toMatch(/\.cache[/\\]llmatic[/\\]models$/);
    expect(existsSync(fixture.modelPath)).toBe(true);
  });
});
