import { describe, expect, it } from 'vitest';
import { retryPolicyOf } from '@llmatic/core';

describe('retryPolicyOf', () => {
  it('fills the defaults and ignores the provider’s other options', () => {
    expect(retryPolicyOf({ model: 'x' } as never, 'ollama()')).toEqual({ retries: 4, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 });
  });

  it('maps the option names onto the policy', () => {
    expect(retryPolicyOf({ retries: 0, retryDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 100 }, 'openai()')).toEqual({
      retries: 0,
      baseDelayMs: 5,
      maxDelayMs: 20,
      maxRetryAfterMs: 100,
    });
  });

  it('names the provider and the bad field', () => {
    expect(() => retryPolicyOf({ retries: -1 }, 'ollama()')).toThrow(/ollama\(\): invalid options[\s\S]*retries/);
  });
});
