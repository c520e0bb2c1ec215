import { describeProviderContract } from '@llmatic/testkit';
import { describe, expect, it } from 'vitest';
import { {{factory}} } from '../src/index.js';

describeProviderContract('{{factory}}', {
  create: ({ baseURL }) => {{factory}}({ baseURL, model: 'test-model', retryDelayMs: 1, maxRetryDelayMs: 5 }),
  respond: (_request, reply) => ({
    body: { model: reply.model, text: reply.text, usage: { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens } },
  }),
});

describe('{{factory}}', () => {
  it('rejects options without a URL, naming the option', () => {
    expect(() => {{factory}}({ baseURL: 'localhost', model: 'm' })).toThrow(/baseURL/);
  });
});
