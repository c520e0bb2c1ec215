import { describe, expect, it } from 'vitest';
import { DEFAULT_MUTATIONS } from '@llmatic/core';
import { tfjsSpace } from '@llmatic/tfjs';

describe('tfjsSpace', () => {
  const space = tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10, descriptorBounds: { flops: [1e4, 1e8] } });

  it('is a search space whose seed compiles to the paper seed network', async () => {
    expect(space.language).toBe(space.compiler.language);
    const extracted = space.extract(space.seed);
    if (!extracted.ok) throw new Error(extracted.failure.message);
    const compiled = await space.compiler.compile(extracted.code);
    if (!compiled.ok) throw new Error(compiled.failure.message);
    expect(compiled.model.layers.map((layer) => [layer.className, layer.outputShape])).toEqual([
      ['InputLayer', [28, 28, 1]],
      ['Conv2D', [28, 28, 1]],
      ['Flatten', [784]],
      ['Dense', [10]],
    ]);
  });

  it('states the contract in the system prompt, with this data', () => {
    expect(space.prompts.system).toMatch(/function buildModel\(tf, \{ inputShape, numClasses \}\)/);
    expect(space.prompts.system).toMatch(/inputShape is \[28, 28, 1\].*numClasses is 10/);
    expect(space.prompts.system).toMatch(/\[batch, 10\]/);
    expect(space.prompts.system).toMatch(/tf\.layers\.add\(\)\.apply/);
  });

  it('has templates with the kernel placeholders in chat and completion form', () => {
    for (const form of ['chat', 'completion'] as const) {
      expect(space.prompts.mutation[form]).toContain('{{code}}');
      expect(space.prompts.mutation[form]).toContain('{{instruction}}');
      expect(space.prompts.crossover[form]).toContain('{{code_a}}');
      expect(space.prompts.crossover[form]).toContain('{{code_b}}');
    }
    expect(space.prompts.mutation.completion).toMatch(/inputShape is \[28, 28, 1\]/);
    expect(space.prompts.mutations).toEqual(DEFAULT_MUTATIONS);
  });

  it('extracts the program from a reply', () => {
    const result = space.extract(`Here is the network:\n\`\`\`javascript\n${space.seed}\`\`\`\nEnjoy.`);
    expect(result).toEqual({ ok: true, code: space.seed });
  });

  it('describes networks by width/depth and FLOPs, with the bounds given', () => {
    expect(space.descriptors.map((descriptor) => [descriptor.name, descriptor.bounds])).toEqual([
      ['width-depth', [0, 200]],
      ['flops', [1e4, 1e8]],
    ]);
  });

  it('refuses options that cannot work, saying how to fix them', () => {
    expect(() => tfjsSpace({ inputShape: [784], numClasses: 10 })).toThrow(/\[height, width, channels\].*\[28, 28, 1\]/);
    expect(() => tfjsSpace({ inputShape: [28, 28, 1], numClasses: 1 })).toThrow(/numClasses/);
    expect(() => tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10, timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10, descriptorBounds: { flops: [5, 1] } })).toThrow(
      /descriptorBounds\.flops/,
    );
  });
});
