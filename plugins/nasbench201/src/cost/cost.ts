import type { Nb201Op } from '../cell/ops.js';
import type { Nb201Dataset } from '../datasets.js';

/**
 * Cost coefficients of the benchmark's own convention (Conv2d and Linear multiply-accumulates;
 * BN, ReLU, pooling and additions not counted). Only 3x3 and 1x1 convolutions cost anything,
 * because every other op keeps channels; the base is the fixed skeleton around the cells.
 * Source: the table's README, checked there against published benchmark values and here against
 * every row of the table.
 */
interface CostModel {
  flopsBase: number;
  flopsConv3x3: number;
  flopsConv1x1: number;
  paramsBase: number;
}

const CIFAR_CONV3X3_FLOPS = 35.38944;
const CIFAR_CONV1X1_FLOPS = 3.93216;
const PARAMS_CONV3X3 = 243_040;
const PARAMS_CONV1X1 = 28_000;

const COSTS: Readonly<Record<Nb201Dataset, CostModel>> = {
  cifar10: { flopsBase: 7.78305, flopsConv3x3: CIFAR_CONV3X3_FLOPS, flopsConv1x1: CIFAR_CONV1X1_FLOPS, paramsBase: 73_306 },
  cifar100: { flopsBase: 7.7889, flopsConv3x3: CIFAR_CONV3X3_FLOPS, flopsConv1x1: CIFAR_CONV1X1_FLOPS, paramsBase: 79_156 },
  'imagenet16-120': { flopsBase: 1.9534, flopsConv3x3: 8.84736, flopsConv1x1: 0.98304, paramsBase: 80_456 },
};

function countConvs(ops: readonly Nb201Op[]): { n3: number; n1: number } {
  let n3 = 0;
  let n1 = 0;
  for (const op of ops) {
    if (op === 'nor_conv_3x3') n3++;
    else if (op === 'nor_conv_1x1') n1++;
  }
  return { n3, n1 };
}

/** FLOPs of the whole network in millions (multiply-accumulates), from the cell alone. */
export function cellFlops(ops: readonly Nb201Op[], dataset: Nb201Dataset): number {
  const c = COSTS[dataset];
  const { n3, n1 } = countConvs(ops);
  return c.flopsBase + c.flopsConv3x3 * n3 + c.flopsConv1x1 * n1;
}

/** Trainable parameters of the whole network in millions, from the cell alone. */
export function cellParams(ops: readonly Nb201Op[], dataset: Nb201Dataset): number {
  const { n3, n1 } = countConvs(ops);
  return (COSTS[dataset].paramsBase + PARAMS_CONV3X3 * n3 + PARAMS_CONV1X1 * n1) / 1e6;
}

/** Exact [min, max] FLOPs (M) over all 15,625 cells: no convolution, and six 3x3 convolutions. */
export function flopsRange(dataset: Nb201Dataset): [number, number] {
  const c = COSTS[dataset];
  return [c.flopsBase, c.flopsBase + 6 * c.flopsConv3x3];
}

/** Exact [min, max] parameters (M) over all 15,625 cells. */
export function paramsRange(dataset: Nb201Dataset): [number, number] {
  const base = COSTS[dataset].paramsBase;
  return [base / 1e6, (base + 6 * PARAMS_CONV3X3) / 1e6];
}
