import { fail, type Evaluator } from '@llmatic/core';
import { cellFlops, cellParams, type NasBench201Cell } from '@llmatic/nasbench201';

/**
 * Scores NAS-Bench-201 cells by how close their FLOPs come to a budget, without training:
 * a pre-screen, or a stand-in while the real trainer is written.
 */
export function flopsBudget(budgetMFlops: number): Evaluator<NasBench201Cell> {
  if (!(budgetMFlops > 0)) throw new TypeError(`flopsBudget(): the budget must be a positive number of MFLOPs, got ${budgetMFlops}.`);
  return {
    name: 'flops-budget',
    async evaluate(cell, { signal }) {
      signal?.throwIfAborted();
      if (!Array.isArray(cell?.ops)) return fail('evaluation', 'expected a NAS-Bench-201 cell (six edge operations)');
      const flops = cellFlops(cell.ops, 'cifar10');
      if (flops > budgetMFlops) return fail('resource-cap', `${flops.toFixed(1)} MFLOPs is over the budget of ${budgetMFlops}`);
      return { ok: true, fitness: flops / budgetMFlops, metrics: { flops, params: cellParams(cell.ops, 'cifar10') } };
    },
  };
}
