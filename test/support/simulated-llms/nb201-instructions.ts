/**
 * What an instruction-following code model does to a NAS-Bench-201 cell for each of the
 * sixteen mutation instructions (by name, as in `CELL_MUTATIONS`): the edit the instruction
 * asks for, on edges chosen at random. A stand-in for measurement, not a language model: it
 * knows what the words ask for, not which cells are good.
 */
import type { Rng } from '@llmatic/core';
import { NB201_OPS, type Nb201Op } from '@llmatic/nasbench201';

const CONV3: Nb201Op = 'nor_conv_3x3';
const CONV1: Nb201Op = 'nor_conv_1x1';
const POOL: Nb201Op = 'avg_pool_3x3';
const SKIP: Nb201Op = 'skip_connect';
const NONE: Nb201Op = 'none';
const PARAMETRIC: readonly Nb201Op[] = [CONV3, CONV1, POOL];
/** Edges node0->node1, node1->node2, node2->node3: the longest chain. */
const CHAIN = [0, 2, 5];
const DIRECT = 3;

type Cell = Nb201Op[];

/** Sets one edge whose op passes `from` to one of `to` (never to the op it has); false when none qualifies. */
function edit(cell: Cell, rng: Rng, from: (op: Nb201Op, edge: number) => boolean, to: readonly Nb201Op[]): boolean {
  const edges = cell.flatMap((op, edge) => (from(op, edge) && to.some((t) => t !== op) ? [edge] : []));
  if (edges.length === 0) return false;
  const edge = rng.pick(edges);
  cell[edge] = rng.pick(to.filter((t) => t !== cell[edge]));
  return true;
}

/** One edge gets another op, uniformly (what a model does when it does not know better). */
export function randomEdit(cell: Cell, rng: Rng): void {
  const edge = rng.int(0, 5);
  cell[edge] = rng.pick(NB201_OPS.filter((op) => op !== cell[edge]));
}

const is = (...ops: Nb201Op[]) => (op: Nb201Op) => ops.includes(op);
const isNot = (...ops: Nb201Op[]) => (op: Nb201Op) => !ops.includes(op);

/** Each instruction's edit; returns false when the cell offers nothing to do it on. */
export const INSTRUCTION_EDITS: Readonly<Record<string, (cell: Cell, rng: Rng) => boolean>> = {
  'add-layer': (c, r) => edit(c, r, is(NONE, SKIP), PARAMETRIC),
  'delete-layer': (c, r) => edit(c, r, is(...PARAMETRIC), [SKIP, NONE]),
  improve: (c, r) => (randomEdit(c, r), true),
  'improve-smaller': (c, r) => edit(c, r, is(CONV3), [CONV1, SKIP, NONE]) && (edit(c, r, is(CONV3), [CONV1, SKIP, NONE]) || true),
  'improve-larger': (c, r) => edit(c, r, isNot(CONV3), [CONV3]) && (edit(c, r, isNot(CONV3), [CONV3]) || true),
  'add-dense': (c, r) => edit(c, r, isNot(CONV1), [CONV1]),
  'add-conv': (c, r) => edit(c, r, isNot(CONV3, CONV1), [CONV3, CONV1]),
  'add-pooling': (c, r) => edit(c, r, isNot(POOL), [POOL]),
  'add-residual': (c, r) => (c[DIRECT] !== SKIP ? ((c[DIRECT] = SKIP), true) : edit(c, r, isNot(SKIP), [SKIP])),
  'add-residuals': (c, r) => edit(c, r, isNot(SKIP), [SKIP]) && (edit(c, r, isNot(SKIP), [SKIP]) || true),
  'add-dropout': (c, r) => edit(c, r, isNot(NONE), [NONE]),
  'add-normalisation': (c, r) => edit(c, r, is(SKIP, POOL), [CONV1]),
  'increase-width': (c, r) => edit(c, r, is(NONE), [CONV3, CONV1, POOL, SKIP]),
  'decrease-width': (c, r) => edit(c, r, isNot(NONE), [NONE]),
  'increase-depth': (c, r) => edit(c, r, (op, e) => CHAIN.includes(e) && (op === NONE || op === SKIP), [CONV3, CONV1]),
  'decrease-depth': (c, r) => edit(c, r, (op, e) => CHAIN.includes(e) && op !== NONE, [NONE]) && (c[DIRECT] === NONE ? ((c[DIRECT] = CONV3), true) : true),
};
