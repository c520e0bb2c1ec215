import { ConfigError, fail, type Evaluation, type Evaluator, type EvaluateContext, type Result } from '@llmatic/core';
import { cellFlops, cellParams, NB201_DATASETS, type NasBench201Cell } from '@llmatic/nasbench201';
import { z } from 'zod';

const optionsSchema = z
  .object({
    /** The dataset whose network sizes the FLOPs and parameters are counted for. */
    dataset: z.enum(NB201_DATASETS).default('cifar10'),
    /** Weight of the FLOPs penalty: 0 scores depth alone, larger values prefer cheaper cells. */
    flopsPenalty: z.number().min(0).default(0.1),
  })
  .strict();

export type {{Factory}}Options = z.input<typeof optionsSchema>;

/** Convolutions on the longest path from the cell's input to its output (edges 0-5 join nodes 0-3). */
function convDepth(ops: readonly string[]): number {
  const edges: [from: number, to: number][] = [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]];
  const depth = [0, -Infinity, -Infinity, -Infinity];
  edges.forEach(([from, to], index) => {
    const op = ops[index] ?? 'none';
    if (op === 'none') return;
    const step = op.includes('conv') ? 1 : 0;
    depth[to] = Math.max(depth[to] ?? -Infinity, (depth[from] ?? -Infinity) + step);
  });
  return depth[3] ?? -Infinity;
}

/**
 * Scores a NAS-Bench-201 cell in microseconds, without training: deeper convolution paths score
 * higher, FLOPs cost `flopsPenalty` per GFLOP. A cell whose output is cut off from its input
 * fails with reason `evaluation`. Replace the score with your own.
 */
export function {{factory}}(options: {{Factory}}Options = {}): Evaluator<NasBench201Cell> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigError(`Invalid options for {{factory}}():\n${z.prettifyError(parsed.error)}`);
  const { dataset, flopsPenalty } = parsed.data;
  return {
    name: '{{pluginName}}',
    async evaluate(model: NasBench201Cell, context: EvaluateContext): Promise<Result<Evaluation>> {
      context.signal?.throwIfAborted();
      if (!Array.isArray(model?.ops) || model.ops.length !== 6) {
        return fail('evaluation', `expected a NAS-Bench-201 cell with six edge operations, got ${JSON.stringify(model)}`);
      }
      const depth = convDepth(model.ops);
      if (depth === -Infinity) return fail('evaluation', `cell ${model.arch} does not connect its input to its output`);
      const flops = cellFlops(model.ops, dataset);
      const params = cellParams(model.ops, dataset);
      return { ok: true, fitness: depth - (flopsPenalty * flops) / 1000, metrics: { convDepth: depth, flops, params } };
    },
  };
}
