import { describe, expect, it } from 'vitest';
import { SEED_PROGRAM, tfjsCompiler } from '@llmatic/tfjs';

const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10 });

describe('tfjsCompiler', () => {
  it('compiles the seed program into the paper seed network', async () => {
    const result = await compiler.compile(SEED_PROGRAM);
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.model.layers.map((layer) => layer.className)).toEqual(['InputLayer', 'Conv2D', 'Flatten', 'Dense']);
    expect(result.model.params).toBe(3 + 1 + 1024 * 10 + 10);
  });
});
