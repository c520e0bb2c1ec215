import type { Rng, SpaceOperators } from '@llmatic/core';
import { NB201_OPS, type Nb201Op } from '../cell/ops.js';
import { parseCell } from '../cell/parse.js';
import { printCell } from '../cell/print.js';

/** A uniformly random cell: each of the six edges gets one of the five operations. */
export function randomOps(rng: Rng): Nb201Op[] {
  return Array.from({ length: 6 }, () => rng.pick(NB201_OPS));
}

/** One edge, chosen uniformly, gets a different operation, chosen uniformly among the other four. */
export function mutateOps(ops: readonly Nb201Op[], rng: Rng): Nb201Op[] {
  const edge = rng.int(0, 5);
  const next = [...ops];
  next[edge] = rng.pick(NB201_OPS.filter((op) => op !== ops[edge]));
  return next;
}

/** Code-level operators for LLM-free baselines (random search, regularized evolution). */
export function nasBench201Operators(): SpaceOperators {
  return {
    random: (rng) => printCell(randomOps(rng)),
    mutate: (code, rng) => {
      const parsed = parseCell(code);
      if (!parsed.ok) {
        throw new Error(`cannot mutate a cell that does not parse: ${parsed.error.message}`);
      }
      return printCell(mutateOps(parsed.cell.ops, rng));
    },
  };
}
