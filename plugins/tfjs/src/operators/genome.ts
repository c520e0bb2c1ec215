/**
 * The genome behind the tfjs space's LLM-free operators: a sequential image classifier written as
 * a list of genes, one layer each. Exactly one `reduce` gene turns the image into a vector;
 * convolutions and pooling come before it, dense layers after it, batch normalisation and dropout
 * anywhere. Every printed program ends with `dense(numClasses, softmax)`, which is not a gene.
 */

/** Output channels a convolution gene may have. */
export const CONV_FILTERS = [4, 8, 16, 32, 64] as const;
/** Square kernel sizes of a convolution gene. */
export const CONV_KERNELS = [1, 3, 5] as const;
/** Strides of a convolution gene (2 halves the image, 'same' padding). */
export const CONV_STRIDES = [1, 2] as const;
/** Units of a hidden dense gene. */
export const DENSE_UNITS = [16, 32, 64, 128] as const;
/** Rates of a dropout gene. */
export const DROPOUT_RATES = [0.1, 0.25, 0.5] as const;
/** 2x2 pooling with stride 2. */
export const POOL_MODES = ['max', 'avg'] as const;
/** How the image becomes a vector: `flatten`, or global average pooling (`gap`). */
export const REDUCE_MODES = ['flatten', 'gap'] as const;
/** Genomes have 1 to this many layer genes (the `reduce` gene not counted). */
export const MAX_GENOME_DEPTH = 6;

/** One layer of the genome. */
export type TfjsGene =
  | { type: 'conv'; filters: (typeof CONV_FILTERS)[number]; kernel: (typeof CONV_KERNELS)[number]; stride: (typeof CONV_STRIDES)[number] }
  | { type: 'pool'; mode: (typeof POOL_MODES)[number] }
  | { type: 'batchnorm' }
  | { type: 'dropout'; rate: (typeof DROPOUT_RATES)[number] }
  | { type: 'dense'; units: (typeof DENSE_UNITS)[number] }
  | { type: 'reduce'; mode: (typeof REDUCE_MODES)[number] };

export type TfjsGeneType = TfjsGene['type'];

/** A genome: the layers of a sequential classifier, in order (output layer implied). */
export type TfjsGenome = readonly TfjsGene[];

/** The values each parameter of a gene type may take; a mutation changes one of them. */
export const GENE_PARAMETERS: { readonly [T in TfjsGeneType]: { readonly [key: string]: readonly (number | string)[] } } = {
  conv: { filters: CONV_FILTERS, kernel: CONV_KERNELS, stride: CONV_STRIDES },
  pool: { mode: POOL_MODES },
  batchnorm: {},
  dropout: { rate: DROPOUT_RATES },
  dense: { units: DENSE_UNITS },
  reduce: { mode: REDUCE_MODES },
};

/** Every gene of a type with every combination of its parameters, in a fixed order. */
export function genesOfType(type: TfjsGeneType): TfjsGene[] {
  let genes: Record<string, number | string>[] = [{ type }];
  for (const [key, values] of Object.entries(GENE_PARAMETERS[type])) {
    genes = genes.flatMap((gene) => values.map((value) => ({ ...gene, [key]: value })));
  }
  return genes as unknown as TfjsGene[];
}

/** Layer genes: all but `reduce`, which is not a layer choice but the image-to-vector step. */
export const LAYER_GENE_TYPES = ['conv', 'pool', 'batchnorm', 'dropout', 'dense'] as const satisfies readonly TfjsGeneType[];

/** Number of layer genes (the depth that the 1..{@link MAX_GENOME_DEPTH} bound applies to). */
export function genomeDepth(genome: TfjsGenome): number {
  return genome.filter((gene) => gene.type !== 'reduce').length;
}
