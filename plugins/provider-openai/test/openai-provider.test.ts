import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { LLMError } from '@llmatic/core';
import { openai, PLACEHOLDER_API_KEY } from '@llmatic/provider-openai';
import { startOpenAIServer, type LLMDouble } from '../../../test/doubles/openai-server.js';

const servers: LLMDouble[] = [];
async function start(options: Parameters<typeof startOpenAIServer>[0] = {}): Promise<LLMDouble> {
  const server = await startOpenAIServer({ models: ['coder-7b'], ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Fast retries so that the retry tests take milliseconds. */
const fast = { retryDelayMs: 5, maxRetryDelayMs: 20 };
const key = { apiKey: 'sk-test' };

async function rejection(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LLMError);
  return error as LLMError;
}

/** A base URL on which nothing listens: start a server, note its port, close it. */
async function closedPortUrl(): Promise<string> {
  const server = await startOpenAIServer();
  await server.close();
  return server.url;
}

const chat = { messages: [{ role: 'user' as const, content: 'write a network' }], temperature: 0.7 };

describe('openai provider: requests and replies', () => {
  it.each([false, true])('answers a chat request through /chat/completions (stream: %s) with text, usage and model', async (stream) => {
    const server = await start({ reply: (r) => `class Net: pass  # for ${r.messages?.at(-1)?.content}` });
    const llm = openai({ baseURL: server.url, model: 'coder-7b', stream, ...key });
    const result = await llm.generate({
      messages: [
        { role: 'system', content: 'You write PyTorch.' },
        { role: 'user', content: 'add a conv layer' },
      ],
      temperature: 0.3,
    });
    expect(result.text).toBe('class Net: pass  # for add a conv layer');
    expect(result.model).toBe('coder-7b');
    expect(result.finishReason).toBe('stop');
    // Toy tokenizer of the double: 2 messages (1 + 3 words, 1 + 4 words) and 9 reply words.
    expect(result.usage).toEqual({ promptTokens: 9, completionTokens: 9 });
    const [sent] = server.generations();
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    expect(sent?.body).toMatchObject({ model: 'coder-7b', temperature: 0.3 });
    if (stream) expect(sent?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    else expect(sent?.body).toMatchObject({ stream: false });
  });

  it.each([false, true])('answers a prompt request through /completions (stream: %s)', async (stream) => {
    const server = await start({ reply: (r) => `${r.prompt} world` });
    const llm = openai({ baseURL: server.url, model: 'coder-7b', stream, ...key });
    const result = await llm.generate({ prompt: 'hello', temperature: 0 });
    expect(result.text).toBe('hello world');
    expect(result.usage).toEqual({ promptTokens: 1, completionTokens: 2 });
    const [sent] = server.generations();
    expect(sent?.path).toBe('/v1/completions');
    // Without maxTokens a completion would stop after 16 tokens on OpenAI and vLLM: a limit is always sent.
    expect(sent?.body).toMatchObject({ prompt: 'hello', max_tokens: 2048 });
  });

  it('does not cut a long prompt-style reply at the servers 16-token default', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const server = await start({ reply: () => long });
    const result = await openai({ baseURL: server.url, model: 'coder-7b', ...key }).generate({ prompt: 'go', temperature: 0 });
    expect(result.text).toBe(long);
  });

  it.each([false, true])('passes temperature, stop, seed, max tokens and grammar through (stream: %s)', async (stream) => {
    const server = await start({ reply: () => 'one two three four five six END seven' });
    const llm = openai({ baseURL: server.url, model: 'coder-7b', stream, extraBody: { top_p: 0.9 }, ...key });
    const cut = await llm.generate({ ...chat, temperature: 0.2, stop: ['END'], seed: 42, maxTokens: 3, grammar: 'root ::= "x"' });
    expect(cut.text).toBe('one two three ');
    expect(cut.finishReason).toBe('length');
    expect(cut.usage.completionTokens).toBe(3);
    const stopped = await llm.generate({ ...chat, stop: ['END'] });
    expect(stopped.text).toBe('one two three four five six ');
    expect(stopped.finishReason).toBe('stop');
    const [first, second] = server.generations();
    expect(first?.body).toMatchObject({ temperature: 0.2, stop: ['END'], seed: 42, max_tokens: 3, grammar: 'root ::= "x"', top_p: 0.9 });
    expect(second?.body).not.toHaveProperty('max_tokens');
    expect(second?.body).not.toHaveProperty('grammar');
  });

  it('can name the token limit max_completion_tokens and the grammar field for other servers', async () => {
    const server = await start();
    const llm = openai({ baseURL: server.url, model: 'coder-7b', maxTokensField: 'max_completion_tokens', grammarField: 'guided_grammar', ...key });
    await llm.generate({ ...chat, maxTokens: 5, grammar: 'root ::= "x"' });
    const [sent] = server.generations();
    expect(sent?.body).toMatchObject({ max_completion_tokens: 5, guided_grammar: 'root ::= "x"' });
    expect(sent?.body).not.toHaveProperty('max_tokens');
  });

  it('uses OPENAI_BASE_URL and OPENAI_API_KEY when no options say otherwise', async () => {
    const server = await start({ apiKey: 'sk-env' });
    const saved = { url: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
    process.env.OPENAI_BASE_URL = server.url;
    process.env.OPENAI_API_KEY = 'sk-env';
    try {
      const result = await openai({ model: 'coder-7b' }).generate({ prompt: 'ping', temperature: 0 });
      expect(result.text).toBe('echo: ping');
    } finally {
      for (const [name, value] of [['OPENAI_BASE_URL', saved.url], ['OPENAI_API_KEY', saved.key]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('sends a placeholder key to a local server when no key is configured', async () => {
    const server = await start();
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      await openai({ baseURL: server.url, model: 'coder-7b' }).generate(chat);
      expect(server.generations()[0]?.headers.authorization).toBe(`Bearer ${PLACEHOLDER_API_KEY}`);
      expect(() => openai({ baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini' })).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('rejects bad options with a message naming the field', () => {
    expect(() => openai({ model: '', ...key })).toThrow(/model/);
    expect(() => openai({ model: 'x', baseURL: 'not a url', ...key })).toThrow(/baseURL/);
    expect(() => openai({ model: 'x', retries: -1, ...key })).toThrow(/retries/);
  });
});

describe('openai provider: concurrency', () => {
  it.each([1, 3])('keeps at most %i requests in flight', async (concurrency) => {
    const server = await start({
      reply: async () => {
        await sleep(40);
        return 'ok';
      },
    });
    const llm = openai({ baseURL: server.url, model: 'coder-7b', concurrency, ...key });
    const results = await Promise.all(Array.from({ length: 7 }, () => llm.generate(chat)));
    expect(results.map((r) => r.text)).toEqual(Array(7).fill('ok'));
    expect(server.maxInFlight).toBe(concurrency);
  });
});

describe('openai provider: failures and retries', () => {
  it('fails a slow reply with a non-fatal timeout error and does not retry it', async () => {
    const server = await start();
    server.fail({ type: 'delay', ms: 5_000 });
    const error = await rejection(openai({ baseURL: server.url, model: 'coder-7b', timeoutMs: 200, ...fast, ...key }).generate(chat));
    expect(error.kind).toBe('timeout');
    expect(error.fatal).toBe(false);
    expect(error.message).toContain('200 ms');
    expect(server.generations()).toHaveLength(1);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const server = await start();
    server.fail({ type: 'status', status: 429, retryAfter: 1 });
    const result = await openai({ baseURL: server.url, model: 'coder-7b', ...fast, ...key }).generate(chat);
    expect(result.text).toBe('echo: write a network');
    const [first, second] = server.generations();
    expect(second).toBeDefined();
    // Retried no earlier than the server asked (1 s), though the backoff alone would be ~5 ms.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it.each([false, true])('retries a 500 and then succeeds (stream: %s)', async (stream) => {
    const server = await start();
    server.fail({ type: 'status', status: 500 });
    const result = await openai({ baseURL: server.url, model: 'coder-7b', stream, ...fast, ...key }).generate(chat);
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
    const result = await openai({ baseURL: server.url, model: 'coder-7b', stream, ...fast, ...key }).generate(chat);
    expect(result.text).toBe('echo: write a network');
    expect(server.generations()).toHaveLength(2);
  });

  it('gives up after the configured retries with a non-fatal error', async () => {
    const server = await start();
    server.fail(...Array.from({ length: 3 }, () => ({ type: 'status' as const, status: 502 })));
    const error = await rejection(openai({ baseURL: server.url, model: 'coder-7b', retries: 2, ...fast, ...key }).generate(chat));
    expect(error.kind).toBe('server');
    expect(error.fatal).toBe(false);
    expect(error.message).toMatch(/gave up after 3 attempts/);
    expect(server.generations()).toHaveLength(3);
  });

  it('reports exhausted 429s as rate-limited', async () => {
    const server = await start();
    server.fail({ type: 'status', status: 429 }, { type: 'status', status: 429 });
    const error = await rejection(openai({ baseURL: server.url, model: 'coder-7b', retries: 1, ...fast, ...key }).generate(chat));
    expect(error.kind).toBe('rate-limited');
    expect(error.fatal).toBe(false);
  });

  it('fails fast with one fatal unreachable error when nothing listens', async () => {
    const url = await closedPortUrl();
    const started = Date.now();
    // Default backoff: 4 retries would wait at least 0.25 + 0.5 + 1 + 2 s.
    const error = await rejection(openai({ baseURL: url, model: 'coder-7b', ...key }).generate(chat));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.kind).toBe('unreachable');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain(url);
    expect(error.message).toContain('OPENAI_BASE_URL');
    expect(error.message).not.toMatch(/gave up/);
  });

  it('retries refused connections once the server has answered (a restart mid-run)', async () => {
    const first = await startOpenAIServer({ models: ['coder-7b'] });
    const port = Number(new URL(first.url).port);
    const llm = openai({ baseURL: first.url, model: 'coder-7b', retryDelayMs: 100, maxRetryDelayMs: 400, ...key });
    await llm.generate(chat);
    await first.close();
    const restarted = sleep(150).then(() => start({ port, reply: () => 'back' }));
    const result = await llm.generate(chat);
    await restarted;
    expect(result.text).toBe('back');
  });

  it('stops at once with a fatal auth error on a rejected key', async () => {
    const server = await start({ apiKey: 'sk-right' });
    const error = await rejection(openai({ baseURL: server.url, model: 'coder-7b', apiKey: 'sk-wrong', ...fast }).generate(chat));
    expect(error.kind).toBe('auth');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(server.requests).toHaveLength(1);
  });

  it.each([false, true])('stops at once on a model missing during generate (stream: %s)', async (stream) => {
    const server = await start();
    const error = await rejection(openai({ baseURL: server.url, model: 'ghost', stream, ...fast, ...key }).generate(chat));
    expect(error.kind).toBe('model-missing');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('"ghost"');
    expect(server.generations()).toHaveLength(1);
  });

  it('treats an exhausted quota as fatal instead of retrying it', async () => {
    const server = await start();
    server.fail({ type: 'status', status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota.' });
    const error = await rejection(openai({ baseURL: server.url, model: 'coder-7b', ...fast, ...key }).generate(chat));
    expect(error.kind).toBe('rate-limited');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('billing');
    expect(server.generations()).toHaveLength(1);
  });

  it('reports a caller abort as aborted without retrying', async () => {
    const server = await start();
    server.fail({ type: 'delay', ms: 5_000 });
    const controller = new AbortController();
    const pending = openai({ baseURL: server.url, model: 'coder-7b', ...fast, ...key }).generate({ ...chat, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    expect(server.generations()).toHaveLength(1);
  });
});

describe('openai provider: check()', () => {
  it('passes when the server serves the model', async () => {
    const server = await start({ models: ['coder-7b', 'other'] });
    await expect(openai({ baseURL: server.url, model: 'coder-7b', ...key }).check!()).resolves.toBeUndefined();
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/models']);
  });

  it('says which models are served when the model is missing', async () => {
    const server = await start({ models: ['coder-7b', 'other'] });
    const error = await rejection(openai({ baseURL: server.url, model: 'gpt-5', ...key }).check!());
    expect(error.kind).toBe('model-missing');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('"gpt-5"');
    expect(error.message).toContain('coder-7b, other');
  });

  it('skips the model check on servers without /models', async () => {
    const server = await start({ listModels: false });
    await expect(openai({ baseURL: server.url, model: 'anything', ...key }).check!()).resolves.toBeUndefined();
  });

  it('says how to start the server when it is down', async () => {
    const url = await closedPortUrl();
    const error = await rejection(openai({ baseURL: url, model: 'coder-7b', ...key }).check!());
    expect(error.kind).toBe('unreachable');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain(url);
    expect(error.message).toContain('OPENAI_BASE_URL');
  });

  it('says how to fix a rejected key', async () => {
    const server = await start({ apiKey: 'sk-right' });
    const error = await rejection(openai({ baseURL: server.url, model: 'coder-7b', apiKey: 'sk-wrong' }).check!());
    expect(error.kind).toBe('auth');
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('OPENAI_API_KEY');
  });
});
