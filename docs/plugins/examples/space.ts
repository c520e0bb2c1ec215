import {
  DEFAULT_CROSSOVER_INSTRUCTION,
  DEFAULT_MUTATIONS,
  DEFAULT_RANDOM_GENERATION_INSTRUCTION,
  fail,
  type Result,
  type SearchSpace,
} from '@llmatic/core';

/** A program is one line of hidden-layer widths, e.g. `widths: 128 64`. The model is plain data. */
export interface WidthsModel {
  widths: number[];
}

function compile(code: string): Result<{ model: WidthsModel }> {
  const match = /^\s*widths:((?:\s+\d+){1,8})\s*$/.exec(code);
  if (!match?.[1]) return fail('compile', `expected "widths: <1 to 8 integers>", got "${code.slice(0, 60)}"`);
  const widths = match[1].trim().split(/\s+/).map(Number);
  if (widths.some((w) => w < 1 || w > 1024)) return fail('compile', 'every width must be from 1 to 1024');
  return { ok: true, model: { widths } };
}

const block = (name: string) => `\`\`\`widths\n{{${name}}}\n\`\`\``;
const system = 'You design multilayer perceptrons for 784 inputs and 10 classes, written as one line "widths: w1 w2 ...". Answer with a ```widths block.';

export const widthsSpace: SearchSpace<WidthsModel> = {
  name: 'widths',
  language: 'widths-v1',
  seed: 'widths: 128',
  prompts: {
    system,
    mutation: { chat: `${block('code')}\n{{instruction}}`, completion: `${system}\n${block('code')}\n{{instruction}}\n\`\`\`widths\n` },
    crossover: {
      chat: `${block('code_a')}\n${block('code_b')}\n{{instruction}}`,
      completion: `${system}\n${block('code_a')}\n${block('code_b')}\n{{instruction}}\n\`\`\`widths\n`,
    },
    mutations: DEFAULT_MUTATIONS,
    crossoverInstruction: DEFAULT_CROSSOVER_INSTRUCTION,
    randomGenerationInstruction: DEFAULT_RANDOM_GENERATION_INSTRUCTION,
    stop: ['```'],
  },
  extract(reply) {
    const line = reply.split('\n').findLast((l) => l.trim().startsWith('widths:'));
    return line ? { ok: true, code: line.trim() } : fail('extraction', 'no "widths:" line in the reply');
  },
  compiler: { language: 'widths-v1', compile: async (code) => compile(code) },
  descriptors: [
    { name: 'depth', label: 'hidden layers', bounds: [1, 8], compute: (m) => m.widths.length },
    { name: 'width', label: 'widest layer', bounds: [1, 1024], compute: (m) => Math.max(...m.widths) },
  ],
  operators: {
    random: (rng) => `widths: ${Array.from({ length: rng.int(1, 8) }, () => 2 ** rng.int(0, 10)).join(' ')}`,
    mutate: (code, rng) => {
      const parsed = compile(code);
      const widths = parsed.ok ? [...parsed.model.widths] : [128];
      widths[rng.int(0, widths.length - 1)] = 2 ** rng.int(0, 10);
      return `widths: ${widths.join(' ')}`;
    },
  },
};
