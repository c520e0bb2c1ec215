import { describe, expect, it } from 'vitest';
import { ConfigError, llmatic, resolveConfig } from '@llmatic/core';
import { ToyLLM, toyEvaluator, toySpace } from './support/toy-space.js';

describe('resolveConfig', () => {
  it('applies the paper defaults', () => {
    const config = resolveConfig({ space: toySpace, evaluator: toyEvaluator(), llm: new ToyLLM() });
    expect(config.generations).toBe(20);
    expect(config.batchSize).toBe(100);
    expect(config.strategy.name).toBe('llmatic');
    expect(config.descriptors).toBe(toySpace.descriptors);
  });

  it('names each bad field and what was expected', () => {
    const attempt = () =>
      resolveConfig({ space: toySpace, evaluator: {}, llm: new ToyLLM(), generations: 0, batchSize: 'ten' }, 'my.config.ts');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/my\.config\.ts/);
    expect(attempt).toThrow(/evaluator: expected an evaluator/);
    expect(attempt).toThrow(/generations: .*>=\s?1/);
    expect(attempt).toThrow(/batchSize: .*number/);
  });

  it('rejects unknown keys, so typos do not pass silently', () => {
    expect(() => resolveConfig({ space: toySpace, evaluator: toyEvaluator(), llm: new ToyLLM(), generation: 3 })).toThrow(
      /generation/,
    );
  });

  it('asks for an LLM when the strategy needs one', () => {
    expect(() => resolveConfig({ space: toySpace, evaluator: toyEvaluator() })).toThrow(/llm: the llmatic strategy needs an LLM/);
  });

  it('validates strategy options where they are given', () => {
    expect(() => llmatic({ mutationProbability: 2 })).toThrow(/llmatic\(\)[\s\S]*mutationProbability/);
  });
});
