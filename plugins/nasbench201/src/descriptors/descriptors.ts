import type { Descriptor } from '@llmatic/core';
import type { NasBench201Cell } from '../cell/cell.js';
import { EDGES } from '../cell/ops.js';
import { cellFlops, flopsRange } from '../cost/cost.js';
import type { Nb201Dataset } from '../datasets.js';

/**
 * FLOPs (M) of the network, from the analytic formula (no table needed). Bounds are the exact
 * minimum and maximum over the 15,625 cells for `dataset`, i.e. the table's min and max.
 */
export function flopsDescriptor(dataset: Nb201Dataset): Descriptor<NasBench201Cell> {
  return {
    name: 'flops',
    label: 'FLOPs (M)',
    bounds: flopsRange(dataset),
    compute: (cell) => cellFlops(cell.ops, dataset),
  };
}

/** Number of the six edges that are `skip` (identity) connections, in [0, 6]. */
export function skipCount(cell: NasBench201Cell): number {
  return cell.ops.filter((op) => op === 'skip_connect').length;
}

/**
 * Number of skip connections: the default structural descriptor. Skips cost no FLOPs, so this
 * axis is not a function of the FLOPs axis (see the package README for the measurements).
 */
export function skipCountDescriptor(): Descriptor<NasBench201Cell> {
  return {
    name: 'skips',
    label: 'skip connections',
    bounds: [0, 6],
    compute: (cell) => skipCount(cell),
  };
}

/**
 * Effective depth: the largest number of non-skip operations (conv3x3, conv1x1, avgpool) on a
 * path of non-`none` edges from node0 to node3; 0 when node3 is not reachable from node0.
 */
export function effectiveDepth(cell: NasBench201Cell): number {
  const depth: (number | undefined)[] = [0, undefined, undefined, undefined];
  for (let node = 1; node <= 3; node++) {
    EDGES.forEach(([from, to], edge) => {
      const op = cell.ops[edge];
      const start = depth[from];
      if (to !== node || op === 'none' || op === undefined || start === undefined) return;
      const reached = start + (op === 'skip_connect' ? 0 : 1);
      depth[node] = Math.max(depth[node] ?? 0, reached);
    });
  }
  return depth[3] ?? 0;
}

/** Effective depth as a descriptor, in [0, 3]: an alternative structural axis. */
export function effectiveDepthDescriptor(): Descriptor<NasBench201Cell> {
  return {
    name: 'depth',
    label: 'effective depth (non-skip ops on the longest input-output path)',
    bounds: [0, 3],
    compute: (cell) => effectiveDepth(cell),
  };
}

/** The space's default descriptors: FLOPs and skip connections. */
export function defaultDescriptors(dataset: Nb201Dataset): Descriptor<NasBench201Cell>[] {
  return [flopsDescriptor(dataset), skipCountDescriptor()];
}
