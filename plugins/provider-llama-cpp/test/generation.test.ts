import { LLMError } from '@llmatic/core';
import { llamaCpp, type LlamaCppProvider } from '@llmatic/provider-llama-cpp';
import { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tinyModelFixture, TEST_RUNTIME, type TinyModelFixture } from './support/fixture.js';

// A real llama.cpp model (random weights, written by the test) generating through the provider.

const ABC_GRAMMAR = 'root ::= "a" ("b" | "c")+ ";"';
const ABC_PATTERN = /^a[bc]+;$/;

let fixture: TinyModelFixture;
let provider: LlamaCppProvider;

beforeAll(async () => {
  fixture = await tinyModelFixture();
  provider = llamaCpp({ model: fixture.modelPath, contexts: 2, contextSize: 1024, ...TEST_RUNTIME });
  await provider.check();
});

afterAll(async () => {
  await provider?.close();
  await fixture?.cleanup();
});

describe('loading', () => {
  it('loads the model once and reports what it loaded', () => {
    expect(provider.status).toBe('ready');
    expect(provider.info).toMatchObject({
      modelPath: fixture.modelPath,
      contextSize: 1024,
      contexts: 2,
      gpu: false,
      gpuLayers: 0,
      threads: 1,
    });
    expect(provider.name).toBe('llama-cpp');
    expect(provider.model).toBe(fixture.modelPath);
  });
});

describe('completion', () => {
  it('continues a prompt and counts tokens with the model tokenizer', async () => {
    const result = await provider.generate({ prompt: 'hello world', temperature: 1, maxTokens: 12, seed: 1 });
    expect(result.text.length).toBeGreaterThan(0);
    // The tiny vocabulary has one token per character, plus the BOS token llama.cpp adds.
    expect(result.usage.promptTokens).toBe('hello world'.length + 1);
    expect(result.usage.completionTokens).toBe(12);
    expect(result.finishReason).toBe('length');
    expect(result.constrained).toBe(false);
    expect(result.model).toBe(fixture.modelPath);
  });

  it('gives the same text for the same seed and different text for another seed', async () => {
    const request = { prompt: 'seeded', temperature: 1, maxTokens: 16 };
    const a = await provider.generate({ ...request, seed: 11 });
    const b = await provider.generate({ ...request, seed: 11 });
    const c = await provider.generate({ ...request, seed: 12 });
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
  });

  it('decodes greedily at temperature 0, whatever the seed', async () => {
    const a = await provider.generate({ prompt: 'greedy', temperature: 0, maxTokens: 16, seed: 1 });
    const b = await provider.generate({ prompt: 'greedy', temperature: 0, maxTokens: 16, seed: 2 });
    expect(b.text).toBe(a.text);
  });

  it('stops before a stop sequence', async () => {
    const request = { prompt: 'stop here', temperature: 1, maxTokens: 24, seed: 5 };
    const free = await provider.generate(request);
    // Stop at the first occurrence of a character from the middle of the free text.
    const stop = [...free.text.slice(3)].find((ch) => ch.trim() !== '' && free.text.indexOf(ch) >= 1);
    expect(stop).toBeDefined();
    const stopped = await provider.generate({ ...request, stop: [stop as string] });
    expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(stop as string)));
    expect(stopped.finishReason).toBe('stop');
  });

  it('follows a GBNF grammar', async () => {
    const result = await provider.generate({ prompt: 'x', temperature: 1, maxTokens: 64, seed: 3, grammar: ABC_GRAMMAR });
    expect(result.text).toMatch(ABC_PATTERN);
    expect(result.finishReason).toBe('stop');
    expect(result.constrained).toBe(true);
    // One token per character here, so the count is the length of the reply.
    expect(result.usage.completionTokens).toBe(result.text.length);
  });
});

describe('grammar cache', () => {
  it('parses each distinct grammar text once', async () => {
    const createGrammar = vi.spyOn(Llama.prototype, 'createGrammar');
    try {
      const grammar = 'root ::= "x" [0-9] [0-9]? ";"';
      for (const seed of [1, 2, 3]) {
        const result = await provider.generate({ prompt: 'n', temperature: 1, maxTokens: 16, seed, grammar });
        expect(result.text).toMatch(/^x[0-9][0-9]?;$/);
      }
      expect(createGrammar).toHaveBeenCalledTimes(1);
      // A different text is a different grammar.
      await provider.generate({ prompt: 'n', temperature: 1, maxTokens: 16, seed: 1, grammar: `${grammar}\n` });
      expect(createGrammar).toHaveBeenCalledTimes(2);
    } finally {
      createGrammar.mockRestore();
    }
  });
});

describe('chat', () => {
  it('renders the conversation with the model chat template, system message included', async () => {
    const user = { role: 'user' as const, content: 'Write something.' };
    const system = { role: 'system' as const, content: 'You are a careful assistant.' };
    const bare = await provider.generate({ messages: [user], temperature: 1, maxTokens: 8, seed: 2 });
    const withSystem = await provider.generate({ messages: [system, user], temperature: 1, maxTokens: 8, seed: 2 });
    expect(bare.text.length).toBeGreaterThan(0);
    expect(withSystem.text.length).toBeGreaterThan(0);
    // ChatML adds role markers around the user text, and the system turn adds its own text and markers.
    expect(bare.usage.promptTokens).toBeGreaterThan(user.content.length + 2);
    expect(withSystem.usage.promptTokens - bare.usage.promptTokens).toBeGreaterThan(system.content.length);
    expect(withSystem.usage.completionTokens).toBe(8);
  });

  it('follows a GBNF grammar in a chat reply', async () => {
    const result = await provider.generate({
      messages: [{ role: 'user', content: 'abc?' }],
      temperature: 1,
      maxTokens: 64,
      seed: 4,
      grammar: ABC_GRAMMAR,
    });
    expect(result.text).toMatch(ABC_PATTERN);
    expect(result.constrained).toBe(true);
    expect(result.finishReason).toBe('stop');
  });
});

describe('limits', () => {
  it('caps the reply to the room left in the context', async () => {
    const prompt = 'z'.repeat(1000);
    const result = await provider.generate({ prompt, temperature: 1, maxTokens: 200, seed: 1 });
    expect(result.usage.promptTokens).toBe(1001);
    expect(result.usage.promptTokens + result.usage.completionTokens).toBeLessThanOrEqual(1024);
    expect(result.finishReason).toBe('length');
  });
});

describe('assistant prefill', () => {
  it('continues a trailing assistant message and returns only the continuation', async () => {
    const marker = 'PREFILLED-ANSWER';
    const user = { role: 'user' as const, content: 'Go on.' };
    const plain = await provider.generate({ messages: [user], temperature: 1, maxTokens: 8, seed: 9 });
    const prefilled = await provider.generate({
      messages: [user, { role: 'assistant', content: marker }],
      temperature: 1,
      maxTokens: 8,
      seed: 9,
    });
    expect(prefilled.usage.promptTokens - plain.usage.promptTokens).toBeGreaterThanOrEqual(marker.length);
    expect(prefilled.text.length).toBeGreaterThan(0);
    expect(prefilled.text.startsWith(marker)).toBe(false);
    expect(prefilled.usage.completionTokens).toBe(8);
  });
});

describe('concurrency', () => {
  it('serves more concurrent requests than contexts, each one intact', async () => {
    const requests = [1, 2, 3, 4, 5].map((seed) =>
      provider.generate({
        messages: [{ role: 'user', content: `request ${seed}` }],
        temperature: 1,
        maxTokens: 64,
        seed,
        grammar: ABC_GRAMMAR,
      }),
    );
    const results = await Promise.all(requests);
    for (const result of results) {
      expect(result.text).toMatch(ABC_PATTERN);
      expect(result.usage.completionTokens).toBe(result.text.length);
    }
  });
});

describe('bad requests', () => {
  it('rejects an unparsable grammar with a fatal bad-request error', async () => {
    const error = await provider
      .generate({ prompt: 'x', temperature: 1, maxTokens: 4, grammar: 'root ::= undefined-rule' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect(error).toMatchObject({ kind: 'bad-request', fatal: true });
    expect((error as LLMError).message).toMatch(/GBNF grammar/);
    // The provider is still usable.
    const ok = await provider.generate({ prompt: 'x', temperature: 1, maxTokens: 64, seed: 1, grammar: ABC_GRAMMAR });
    expect(ok.text).toMatch(ABC_PATTERN);
  });

  it('rejects a prompt longer than a context', async () => {
    const error = await provider.generate({ prompt: 'y'.repeat(1100), temperature: 1, maxTokens: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect(error).toMatchObject({ kind: 'bad-request', fatal: false });
    expect((error as LLMError).message).toMatch(/contextSize/);
  });

  it('rejects a request with both or neither of prompt and messages', async () => {
    await expect(provider.generate({ temperature: 1 })).rejects.toMatchObject({ kind: 'bad-request' });
    await expect(
      provider.generate({ prompt: 'a', messages: [{ role: 'user', content: 'b' }], temperature: 1 }),
    ).rejects.toMatchObject({ kind: 'bad-request' });
  });

  it('reports a cancelled request as aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      provider.generate({ prompt: 'x', temperature: 1, maxTokens: 4, signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'aborted', fatal: false });
  });
});

describe('close', () => {
  it('frees the model and refuses later requests', async () => {
    const own = llamaCpp({ model: fixture.modelPath, contextSize: 256, ...TEST_RUNTIME });
    expect(own.status).toBe('idle');
    const result = await own.generate({ prompt: 'x', temperature: 1, maxTokens: 4, seed: 1 });
    expect(result.text.length).toBeGreaterThan(0);
    expect(own.status).toBe('ready');
    const disposals = [LlamaContext, LlamaModel, Llama].map((cls) => vi.spyOn(cls.prototype, 'dispose'));
    try {
      await own.close();
      for (const dispose of disposals) expect(dispose).toHaveBeenCalled();
    } finally {
      for (const dispose of disposals) dispose.mockRestore();
    }
    expect(own.status).toBe('closed');
    expect(own.info).toBeUndefined();
    await expect(own.generate({ prompt: 'x', temperature: 1, maxTokens: 4 })).rejects.toMatchObject({
      kind: 'aborted',
      fatal: true,
    });
    await expect(own.check()).rejects.toBeInstanceOf(LLMError);
    await own.close(); // a second close is harmless
  });

  it('can close while the model is still loading', async () => {
    const own = llamaCpp({ model: fixture.modelPath, contextSize: 256, ...TEST_RUNTIME });
    const loading = own.check().catch((e: unknown) => e);
    await own.close();
    const outcome = await loading;
    expect(own.status).toBe('closed');
    // Either the load finished first or it was told to stop; it never leaves a usable provider.
    if (outcome !== undefined) expect(outcome).toMatchObject({ kind: 'aborted' });
    await expect(own.generate({ prompt: 'x', temperature: 1, maxTokens: 4 })).rejects.toMatchObject({ kind: 'aborted' });
  });
});
