/**
 * A small trusted pipeline for queue tests. A program is JSON: `{"value": 7}` scores fitness 0.7
 * and returns a 256-byte artifact (every byte value once, so a lossy encoding shows);
 * `"sleepMs"` makes the evaluation take that long (abortable); anything else fails to compile.
 */
import { fail, type Descriptor, type Evaluator, type Pipeline, type SearchSpace } from '@llmatic/core';

export interface TestModel {
  value: number;
  sleepMs: number;
}

export const ALL_BYTES = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));

const descriptors: Descriptor<TestModel>[] = [{ name: 'value', bounds: [0, 100], compute: (m) => m.value }];

const space: SearchSpace<TestModel> = {
  name: 'queue-test',
  language: 'json',
  seed: '{"value": 1}',
  prompts: {
    system: '',
    mutation: { chat: '', completion: '' },
    crossover: { chat: '', completion: '' },
    mutations: [],
    crossoverInstruction: '',
    randomGenerationInstruction: '',
  },
  extract: (reply) => ({ ok: true, code: reply }),
  compiler: {
    language: 'json',
    async compile(code) {
      try {
        const parsed = JSON.parse(code) as { value?: unknown; sleepMs?: unknown };
        if (typeof parsed.value !== 'number') return fail('compile', 'no "value"');
        return { ok: true, model: { value: parsed.value, sleepMs: typeof parsed.sleepMs === 'number' ? parsed.sleepMs : 0 } };
      } catch (error) {
        return fail('compile', error instanceof Error ? error.message : String(error));
      }
    },
  },
  descriptors,
};

/** The pipeline, and the candidate ids its evaluator has started, in order. */
export function testPipeline(): { pipeline: Pipeline<TestModel>; evaluated: string[] } {
  const evaluated: string[] = [];
  const evaluator: Evaluator<TestModel> = {
    name: 'queue-test-evaluator',
    async evaluate(model, context) {
      evaluated.push(context.candidateId);
      if (model.sleepMs > 0) {
        await new Promise<void>((done, failed) => {
          const timer = setTimeout(done, model.sleepMs);
          context.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            failed(new Error('aborted'));
          });
        });
      }
      return {
        ok: true,
        fitness: model.value / 10,
        metrics: { value: model.value, half: model.value / 2 },
        info: { evaluatedBy: 'test' },
        artifacts: [{ name: 'weights.bin', data: ALL_BYTES }],
      };
    },
  };
  return { pipeline: { space, evaluator, descriptors }, evaluated };
}
