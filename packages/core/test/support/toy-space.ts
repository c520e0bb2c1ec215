/**
 * A toy search space for kernel tests: a program is `value = N` (0 <= N < 1000); fitness is
 * N / 1000; descriptors are (N mod 100, N div 100). Small enough to reason about, real enough to
 * exercise extraction, compilation failures and the archives.
 */
import {
  DEFAULT_CROSSOVER_INSTRUCTION,
  DEFAULT_MUTATIONS,
  DEFAULT_RANDOM_GENERATION_INSTRUCTION,
  fail,
  type Evaluator,
  type GenerateRequest,
  type GenerateResult,
  type LLMProvider,
  type SearchSpace,
} from '@llmatic/core';

export interface ToyModel {
  value: number;
}

export const toySpace: SearchSpace<ToyModel> = {
  name: 'toy',
  language: 'toy',
  seed: 'value = 1',
  prompts: {
    system: 'You edit toy programs of the form `value = N`.',
    mutation: { chat: '{{code}}\n{{instruction}}', completion: '{{code}}\n# {{instruction}}\n' },
    crossover: { chat: '{{code_a}}\n{{code_b}}\n{{instruction}}', completion: '{{code_a}}\n{{code_b}}\n# {{instruction}}\n' },
    mutations: DEFAULT_MUTATIONS,
    crossoverInstruction: DEFAULT_CROSSOVER_INSTRUCTION,
    randomGenerationInstruction: DEFAULT_RANDOM_GENERATION_INSTRUCTION,
  },
  extract(reply) {
    const match = /value\s*=\s*(-?\d+)/.exec(reply);
    return match ? { ok: true, code: `value = ${match[1]}` } : fail('extraction', 'no `value = N` line in the reply');
  },
  compiler: {
    language: 'toy',
    async compile(code) {
      const value = Number(/(-?\d+)/.exec(code)?.[1]);
      if (!Number.isInteger(value) || value < 0 || value >= 1000) return fail('compile', `value out of range: ${code}`);
      return { ok: true, model: { value } };
    },
  },
  descriptors: [
    { name: 'ones', bounds: [0, 100], compute: (m) => m.value % 100 },
    { name: 'hundreds', bounds: [0, 10], compute: (m) => Math.floor(m.value / 100) },
  ],
};

export function toyEvaluator(log: number[] = []): Evaluator<ToyModel> {
  return {
    name: 'toy-oracle',
    async evaluate(model) {
      log.push(model.value);
      return { ok: true, fitness: model.value / 1000, metrics: { value: model.value } };
    },
  };
}

/** Codes found in a request, in order (parent, or both crossover parents). */
function codesIn(request: GenerateRequest): number[] {
  const text = request.prompt ?? request.messages?.map((m) => m.content).join('\n') ?? '';
  return [...text.matchAll(/value = (\d+)/g)].map((m) => Number(m[1]));
}

/**
 * An in-process LLM for kernel tests: deterministic in its input. A mutation adds a
 * prompt-dependent step to the parent; a crossover averages; every 7th distinct input replies
 * with prose only (an extraction failure); values past 999 fail to compile.
 */
export class ToyLLM implements LLMProvider {
  readonly name = 'toy-llm';
  readonly model = 'toy-1';
  calls = 0;

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.calls += 1;
    const text = request.prompt ?? request.messages?.map((m) => m.content).join('\n') ?? '';
    let hash = 0;
    for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    hash = Math.abs(hash + Math.round(request.temperature * 1000));
    const codes = codesIn(request);
    const usage = { promptTokens: text.length, completionTokens: 10 };
    if (hash % 7 === 0) return { text: 'I would rather explain than write code.', usage, model: this.model };
    const base = codes.length > 1 ? Math.round(codes.reduce((a, b) => a + b, 0) / codes.length) : (codes[0] ?? 1);
    const value = base + (hash % 97);
    return { text: `Here you go:\n\`\`\`\nvalue = ${value}\n\`\`\``, usage, model: this.model };
  }
}
