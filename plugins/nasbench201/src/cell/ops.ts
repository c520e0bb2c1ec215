/**
 * The five NAS-Bench-201 operations, in the benchmark's own order, with the short names the
 * cell language uses. Every operation keeps channels and resolution, so any choice is valid.
 */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;

/** A benchmark operation name as it appears in arch strings. */
export type Nb201Op = (typeof NB201_OPS)[number];

/** The cell-language name of each operation (what the LLM reads and writes). */
export const CELL_OP_NAMES: Readonly<Record<Nb201Op, string>> = {
  nor_conv_3x3: 'conv3x3',
  nor_conv_1x1: 'conv1x1',
  avg_pool_3x3: 'avgpool',
  skip_connect: 'skip',
  none: 'none',
};

/** Cell-language names in the order prompts and errors list them. */
export const CELL_OP_LIST: readonly string[] = ['conv3x3', 'conv1x1', 'avgpool', 'skip', 'none'];

const BY_NAME = new Map<string, Nb201Op>();
for (const op of NB201_OPS) {
  BY_NAME.set(op, op);
  BY_NAME.set(CELL_OP_NAMES[op], op);
}

/**
 * The benchmark operation for a name written by a person or an LLM: a cell-language name
 * (`conv3x3`) or a benchmark name (`nor_conv_3x3`), in any letter case. `undefined` if unknown.
 */
export function resolveOp(name: string): Nb201Op | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The message for an unknown operation: names it and lists the valid ones. */
export function unknownOpMessage(name: string): string {
  return `unknown operation "${name}"; use one of ${CELL_OP_LIST.join(', ')}`;
}

/**
 * The six edges of a cell as `[from, to]` node pairs, in arch-string order:
 * 0->1 | 0->2, 1->2 | 0->3, 1->3, 2->3.
 */
export const EDGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
];

/** Position in {@link EDGES} of the edge `from -> to` (both in range, `from < to`). */
export function edgeIndex(from: number, to: number): number {
  return ((to - 1) * to) / 2 + from;
}

/** The number of intermediate and output nodes (node1..node3); node0 is the input. */
export const NODE_COUNT = 3;
