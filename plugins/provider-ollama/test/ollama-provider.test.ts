import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { LLMError } from '@llmatic/core';
import { ollama } from '@llmatic/provider-ollama';
import { startOllamaServer, type LLMDouble } from '../../../test/doubles/ollama-server.js';

const servers: LLMDouble[] = [];
async function start(options: Parameters<typeof startOllamaServer>[0] = {}): Promise<LLMDouble> {
  const server = await startOllamaServer({ models: ['coder:7b'], ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Fast retries so that the retry tests take milliseconds. */
const fast = { retryDelayMs: 5, maxRetryDelayMs: 20 };

async function rejection(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LLMError);
  return error as LLMError;
}

/** A port on which nothing listens: start a server, note its port, close it. */
async function closedPortUrl(): Promise<string> {
  const server = await startOllamaServer();
  await server.close();
  return server.url;
}

const chat = { messages: [{ role: 'user' as const, content: 'write a network' }], temperature: 0.7 };

describe('ollama provider: requests and replies', () => {
  it.each([false, true])('answers a chat request through /api/chat (stream: %s) with text, usage and model', async (stream) => {
    const server = await start({ reply: (r) => `class Net: pass  # for ${r.messages?.at(-1)?.content}` });
    const llm = ollama({ host: server.url, model: 'coder:7b', stream });
    const result = await llm.generate({
      messages: [
        { role: 'system', content: 'You write PyTorch.' },
        { role: 'user', content: 'add a conv layer' },
      ],
      temperature: 0.3,
    });
    expect(result.text).toBe('class Net: pass  # for add a conv layer');
    expect(result.model).toBe('coder:7b');
    expect(result.finishReason).toBe('stop');
    // Toy tokenizer of the double: 2 messages (1 + 3 words, 1 + 4 words) and 9 reply words.
    expect(result.usage).toEqual({ promptTokens: 9, completionTokens: 9 });
    const [sent] = server.generations();
    expect(sent?.path).toBe('/api/chat');
    expect(sent?.body).toMatchObject({ model: 'coder:7b', stream, keep_alive: '30m' });
  });

  it.each([false, true])('answers a prompt request through /api/generate (stream: %s)', async (stream) => {
    const server = await start({ reply: (r) => `${r.prompt} world` });
    const llm = ollama({ host: server.url, model: 'coder:7b', stream, raw: true });
    const result = await llm.generate({ prompt: 'hello', temperature: 0 });
    expect(result.text).toBe('hello world');
    expect(result.usage).toEqual({ promptTokens: 1, completionTokens: 2 });
    const [sent] = server.generations();
    expect(sent?.path).toBe('/api/generate');
    expect(sent?.body).toMatchObject({ prompt: 'hello', raw: true, stream });
  });

  it.each([false, true])('passes temperature, stop, seed, max tokens and model options through (stream: %s)', async (stream) => {
    const server = await start({ reply: () => 'one two three four five six END seven' });
    const llm = ollama({ host: server.url, model: 'coder:7b', stream, keepAlive: '1h', options: { num_ctx: 8192, temperature: 1.5 } });
    const cut = await llm.generate({ ...chat, temperature: 0.2, stop: ['END'], seed: 42, maxTokens: 3 });
    expect(cut.text).toBe('one two three ');
    expect(cut.finishReason).toBe('length');
    expect(cut.usage.completionTokens).toBe(3);
    const stopped = await llm.generate({ ...chat, stop: ['END'] });
    expect(stopped.text).toBe('one two three four five six ');
    expect(stopped.finishReason).toBe('stop');
    const [first] = server.generations();
    expect(first?.body).toMatchObject({
      keep_alive: '1h',
      options: { num_ctx: 8192, temperature: 0.2, stop: ['END'], seed: 42, num_predict: 3 },
    });
  });

  it('defaults the host to OLLAMA_HOST', async () => {
    const server = await start();
    const saved = process.env.OLLAMA_HOST;
    process.env.OLLAMA_HOST = server.url;
    try {
      const result = await ollama({ model: 'coder:7b' }).generate({ prompt: 'ping', temperature: 0 });
      expect(result.text).toBe('echo: ping');
    } finally {
      if (saved === undefined) delete process.env.OLLAMA_HOST;
      else process.env.OLLAMA_HOST = saved;
    }
  });

  it('rejects bad options with a message naming the field', () => {
    expect(() => ollama({ model: '' })).toThrow(/model/);
    expect(() => ollama({ model: 'x', concurrency: 0 })).toThrow(/concurrency/);
  });

  it('rejects a request with neither prompt nor messages', async () => {
    const server = await start();
    const error = await rejection(ollama({ host: server.url, model: 'coder:7b' }).generate({ temperature: 0 }));
    expect(error.kind).toBe('bad-request');
    expect(server.generations()).toHaveLength(0);
  });
});

describe('ollama provider: concurrency', () => {
  it.each([1, 2])('keeps at most %i requests in flight', async (concurrency) => {
    const server = await start({
      reply: async () => {
        await sleep(40);
        return 'ok';
      },
    });
    const llm = ollama({ host: server.url, model: 'coder:7b', concurrency });
    const results = await Promise.all(Array.from({ length: 6 }, () => llm.generate(chat)));
    expect(results.map((r) => r.text)).toEqual(Array(6).fill('ok'));
    expect(server.maxInFlight).toBe(concurrency);
  });
});

describe('ollama provider: failures and retries', () => {
  it('fails a slow reply with a non-fatal timeout error and does not retry it', async () => {
    const server = await start();
    server.fail({ type: 'delay', ms: 5_000 });
    const error = await rejection(ollama({ host: server.url, model: 'coder:7b', timeoutMs: 200, ...fast }).generate(chat));
    expect(error.kind).toBe('timeout');
    expect(error.fatal).toBe(false);
    expect(error.message).toContain('200 ms');
    expect(server.generations()).toHaveLength(1);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const server = await start();
    server.fail({ type: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    const result = await ollama({ host: server.url, model: 'coder:7b', ...fast }).generate(chat);
    expect(result.text).toBe('echo: write a network');
    const [first, second] = server.generations();
    expect(second).toBeDefined();
    // Retried no earlier than the server asked (1 s), though the backoff alone would be ~5 ms.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it.each([false, true])('retries a 500 and then succeeds (stream: %s)', async (stream) => {
    const server = await start();
    server.fail({ type: 'status', status: 500, message: 'llama runner process has terminated' });
    const result = await ollama({ host: server.url, model: 'coder:7b', stream, ...fast }).generate(chat);
    expect(result.text).toBe('echo: write a network');
    expect(server.generations()).toHaveLength(2);
  });

  it.each([
    ['before the response', false, false],
    ['mid-response', true, false],
    ['mid-stream', true, true],
  ])('retries a connection dropped %s and then succeeds', async (_label, midStream, stream) => {
    const server = await start();
    server.fail({ type: 'drop', midStream });
    const result = await ollama({ host: server.url, model: 'coder:7b', stream, ...fast }).generate(chat);
    expect(result.text).toBe('echo: write a network');
    expect(server.generations()).toHaveLength(2);
  });

  it('gives up after the configured retries with a non-fatal error', async () => {
    const server = await start();
    server.fail(...Array.from({ length: 3 }, () => ({ type: 'status' as const, status: 503 })));
    const error = await rejection(ollama({ host: server.url, model: 'coder:7b', retries: 2, ...fast }).generate(chat));
    expect(error.kind).toBe('server');
    expect(error.fatal).toBe(false);
    expect(error.message).toMatch(/gave up after 3 attempts/);
    expect(server.generations()).toHaveLength(3);
  });

  it('reports exhausted 429s as rate-limited', async () => {
    const server = await start();
    server.fail({ type: 'status', status: 429 }, { type: 'status', status: 429 });
    const error = await rejection(ollama({ host: server.url, model: 'coder:7b', retries: 1, ...fast }).generate(chat));
    expect(error.kind).toBe('rate-limited');
    expect(error.fatal).toBe(false);
  });

  it('fails fast with one fatal unreachable error when nothing listens', async () => {
    const url = await closedPortUrl();
    const started = Date.now();
    // Default backoff: 4 retries would wait at least 0.25 + 0.5 + 1 + 2 s.
    const error = await rejection(ollama({ host: url, model: 'coder:7b' }).generate(chat));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.kind).toBe('unreachable');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain(url);
    expect(error.message).toContain('ollama serve');
    expect(error.message).toContain('OLLAMA_HOST');
    expect(error.message).not.toMatch(/gave up/);
  });

  it('retries refused connections once the server has answered (a restart mid-run)', async () => {
    const first = await startOllamaServer({ models: ['coder:7b'] });
    const port = Number(new URL(first.url).port);
    const llm = ollama({ host: first.url, model: 'coder:7b', retryDelayMs: 100, maxRetryDelayMs: 400 });
    await llm.generate(chat);
    await first.close();
    const restarted = sleep(150).then(() => start({ port, reply: () => 'back' }));
    const result = await llm.generate(chat);
    await restarted;
    expect(result.text).toBe('back');
  });

  it('turns refused connections after a restart that never comes back into a fatal unreachable error', async () => {
    const server = await startOllamaServer({ models: ['coder:7b'] });
    const llm = ollama({ host: server.url, model: 'coder:7b', retries: 2, ...fast });
    await llm.generate(chat);
    await server.close();
    const error = await rejection(llm.generate(chat));
    expect(error.kind).toBe('unreachable');
    expect(error.fatal).toBe(true);
    expect(error.message).toMatch(/gave up after 3 attempts/);
  });

  it.each([false, true])('stops at once on a model missing during generate (stream: %s)', async (stream) => {
    const server = await start();
    const error = await rejection(ollama({ host: server.url, model: 'ghost:1b', stream, ...fast }).generate(chat));
    expect(error.kind).toBe('model-missing');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('ollama pull ghost:1b');
    expect(server.generations()).toHaveLength(1);
  });

  it('reports a caller abort as aborted without retrying', async () => {
    const server = await start();
    server.fail({ type: 'delay', ms: 5_000 });
    const controller = new AbortController();
    const pending = ollama({ host: server.url, model: 'coder:7b', ...fast }).generate({ ...chat, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    expect(server.generations()).toHaveLength(1);
  });
});

describe('ollama provider: check()', () => {
  it('passes when the server has the model, with or without the :latest tag', async () => {
    const server = await start({ models: ['coder:7b', 'llama3.2:latest'] });
    await expect(ollama({ host: server.url, model: 'coder:7b' }).check!()).resolves.toBeUndefined();
    await expect(ollama({ host: server.url, model: 'llama3.2' }).check!()).resolves.toBeUndefined();
  });

  it('says how to start the server when it is down', async () => {
    const url = await closedPortUrl();
    const error = await rejection(ollama({ host: url, model: 'coder:7b' }).check!());
    expect(error.kind).toBe('unreachable');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain(url);
    expect(error.message).toContain('start it with `ollama serve` or set OLLAMA_HOST'.replace('start', 'Start'));
  });

  it('says which model to pull and lists the installed ones', async () => {
    const server = await start({ models: ['coder:7b', 'llama3.2'] });
    const error = await rejection(ollama({ host: server.url, model: 'qwen2.5-coder:14b' }).check!());
    expect(error.kind).toBe('model-missing');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('run `ollama pull qwen2.5-coder:14b`');
    expect(error.message).toContain('coder:7b, llama3.2:latest');
  });
});

describe('ollama provider: close()', () => {
  it('unloads the model when asked to', async () => {
    const server = await start();
    const llm = ollama({ host: server.url, model: 'coder:7b', unloadOnClose: true });
    await llm.close!();
    const [unload] = server.generations();
    expect(unload?.body).toMatchObject({ model: 'coder:7b', prompt: '', keep_alive: 0 });
  });

  it('aborts requests still in flight', async () => {
    const server = await start();
    server.fail({ type: 'delay', ms: 5_000 });
    const llm = ollama({ host: server.url, model: 'coder:7b', ...fast });
    const pending = rejection(llm.generate(chat));
    await sleep(50);
    await llm.close!();
    const error = await pending;
    expect(error.kind).toBe('aborted');
    expect(server.generations()).toHaveLength(1);
  });
});
