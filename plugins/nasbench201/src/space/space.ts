import type { SearchSpace } from '@llmatic/core';
import { z } from 'zod';
import type { NasBench201Cell } from '../cell/cell.js';
import { CELL_GRAMMAR } from '../cell/grammar.js';
import type { Nb201Op } from '../cell/ops.js';
import { printCell } from '../cell/print.js';
import { nasBench201Compiler, NB201_LANGUAGE } from '../compiler/compiler.js';
import { datasetSchema, type Nb201Dataset } from '../datasets.js';
import { defaultDescriptors } from '../descriptors/descriptors.js';
import { extractCell } from '../extract/extract.js';
import { nasBench201Prompts } from '../prompts/templates.js';
import { formatOptionsError } from '../options-error.js';
import { nasBench201Operators } from './operators.js';

/**
 * The seed cell: a single 1x1-convolution path through the cell, node0 -> conv1x1 -> node1 ->
 * skip -> node2 -> skip -> node3 (benchmark index 13828; CIFAR-10 validation 86.22%, 11.7
 * MFLOPs). It is the analogue of the paper's minimal CIFAR-10 seed (one 1x1 convolution): valid
 * and trainable but weak and nearly the cheapest cell, so the search has room upward, and it
 * shows the LLM every node line and both kinds of operation.
 */
export const SEED_OPS: readonly Nb201Op[] = ['nor_conv_1x1', 'none', 'skip_connect', 'none', 'none', 'skip_connect'];

export const SEED_CELL: string = printCell(SEED_OPS);

/** Options of {@link nasBench201Space}. */
export interface NasBench201SpaceOptions {
  /** Dataset whose FLOPs bounds and prompt facts to use. */
  dataset: Nb201Dataset;
}

const spaceOptionsSchema = z.object({ dataset: datasetSchema }).strict();

/**
 * The NAS-Bench-201 search space: the cell language (seed, prompts, extraction, compiler,
 * GBNF grammar), the default descriptors (FLOPs, skip connections) and the random / one-edge
 * operators for LLM-free baselines.
 */
export function nasBench201Space(options: NasBench201SpaceOptions): SearchSpace<NasBench201Cell> {
  const parsed = spaceOptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(formatOptionsError('nasBench201Space', parsed.error));
  const { dataset } = parsed.data;
  return {
    name: 'nasbench201',
    language: NB201_LANGUAGE,
    seed: SEED_CELL,
    prompts: nasBench201Prompts(dataset),
    extract: extractCell,
    compiler: nasBench201Compiler(),
    descriptors: defaultDescriptors(dataset),
    grammar: CELL_GRAMMAR,
    operators: nasBench201Operators(),
  };
}
