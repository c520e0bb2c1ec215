import { describeSpaceContract } from '@llmatic/testkit';
import { describe, expect, it } from 'vitest';
import { {{factory}}, parameterCount, parseMlp } from '../src/index.js';

describeSpaceContract('{{factory}}', {
  space: {{factory}}(),
  programs: ['mlp(512, 256, 128, gelu)', 'mlp(1, tanh)'],
  invalidPrograms: ['mlp(relu)', 'mlp(64, 64, sigmoid)', 'mlp(2048, relu)', 'mlp(1, 2, 3, 4, 5, 6, 7, relu)'],
});

describe('{{factory}}', () => {
  it('counts weights and biases', () => {
    const parsed = parseMlp('mlp(100, relu)');
    expect(parsed.ok && parameterCount(parsed.model)).toBe(785 * 100 + 101 * 10);
  });

  it('extracts the last program of a reply', () => {
    const reply = 'You had mlp(64, relu). Better:\n```mlp\nmlp(128, 64, gelu)\n```';
    expect({{factory}}().extract(reply)).toEqual({ ok: true, code: 'mlp(128, 64, gelu)' });
  });
});
