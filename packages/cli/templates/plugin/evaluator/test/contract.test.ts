import { describeEvaluatorContract } from '@llmatic/testkit';
import { nasBench201Space } from '@llmatic/nasbench201';
import { describe, expect, it } from 'vitest';
import { {{factory}} } from '../src/index.js';

const space = nasBench201Space({ dataset: 'cifar10' });

async function compile(code: string) {
  const compiled = await space.compiler.compile(code);
  if (!compiled.ok) throw new Error(compiled.failure.message);
  return compiled.model;
}

const seed = await compile(space.seed);
const cutOff = await compile('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');

describeEvaluatorContract('{{factory}}', {
  create: () => {{factory}}(),
  valid: [seed],
  invalid: [cutOff],
  deterministic: true,
});

describe('{{factory}}', () => {
  it('prefers a deeper convolution path at equal FLOPs penalty 0', async () => {
    const evaluator = {{factory}}({ flopsPenalty: 0 });
    const shallow = await compile('|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|');
    const deep = await compile('|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|nor_conv_3x3~2|');
    const [a, b] = await Promise.all([shallow, deep].map((model) => evaluator.evaluate(model, { candidateId: 'test' })));
    expect(a?.ok && b?.ok && b.fitness > a.fitness).toBe(true);
  });

  it('rejects bad options, naming them', () => {
    expect(() => {{factory}}({ flopsPenalty: -1 })).toThrow(/flopsPenalty/);
  });
});
