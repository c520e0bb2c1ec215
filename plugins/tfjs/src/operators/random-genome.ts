import type { Rng } from '@llmatic/core';
import { canDownsample, checkGenome, shapeAfter, type GenomeLimits } from './check-genome.js';
import {
  CONV_FILTERS,
  CONV_KERNELS,
  CONV_STRIDES,
  DENSE_UNITS,
  DROPOUT_RATES,
  MAX_GENOME_DEPTH,
  POOL_MODES,
  REDUCE_MODES,
  type TfjsGene,
} from './genome.js';

type LayerType = Exclude<TfjsGene['type'], 'reduce'>;

// Convolutions are listed twice: drawn as often as the other types, too few of them would leave
// most random networks with no feature extractor at all.
const IMAGE_TYPES: readonly LayerType[] = ['conv', 'conv', 'pool', 'batchnorm', 'dropout', 'dense'];
const VECTOR_TYPES: readonly LayerType[] = ['batchnorm', 'dropout', 'dense'];

/** Draws before giving up on fitting the caps. */
const MAX_DRAWS = 200;

function drawGene(type: LayerType, rng: Rng, mayDownsample: boolean): TfjsGene {
  switch (type) {
    case 'conv':
      return {
        type,
        filters: rng.pick(CONV_FILTERS),
        kernel: rng.pick(CONV_KERNELS),
        stride: mayDownsample ? rng.pick(CONV_STRIDES) : 1,
      };
    case 'pool':
      return { type, mode: rng.pick(POOL_MODES) };
    case 'batchnorm':
      return { type };
    case 'dropout':
      return { type, rate: rng.pick(DROPOUT_RATES) };
    case 'dense':
      return { type, units: rng.pick(DENSE_UNITS) };
  }
}

/**
 * One draw: a depth uniform in 1..{@link MAX_GENOME_DEPTH}, then layer genes one by one, each
 * type uniform among those valid at that point (pooling and stride 2 only on images of at least
 * 2x2; after a dense gene only dense, batch normalisation and dropout). The reduce gene (flatten
 * or gap, uniform) goes before the first dense gene, or at the end.
 */
function drawGenome(rng: Rng, inputShape: readonly number[]): TfjsGene[] {
  const depth = rng.int(1, MAX_GENOME_DEPTH);
  const genes: TfjsGene[] = [];
  let image = true;
  for (let i = 0; i < depth; i++) {
    const shape = shapeAfter(genes, inputShape);
    const type = rng.pick(image ? IMAGE_TYPES.filter((t) => t !== 'pool' || canDownsample(shape)) : VECTOR_TYPES);
    if (type === 'dense' && image) {
      genes.push({ type: 'reduce', mode: rng.pick(REDUCE_MODES) });
      image = false;
    }
    genes.push(drawGene(type, rng, canDownsample(shape)));
  }
  if (image) genes.push({ type: 'reduce', mode: rng.pick(REDUCE_MODES) });
  return genes;
}

/**
 * A random valid genome for `limits`: draws until one fits the compiler's caps (with the default
 * caps every draw does). Throws when {@link MAX_DRAWS} draws in a row do not fit.
 */
export function randomGenome(rng: Rng, limits: GenomeLimits): TfjsGene[] {
  let problem = '';
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const genome = drawGenome(rng, limits.inputShape);
    const check = checkGenome(genome, limits);
    if (check.ok) return genome;
    problem = check.problem;
  }
  throw new Error(
    `no random genome fitted the caps in ${MAX_DRAWS} draws (last: ${problem}); ` +
      'raise maxParams, maxFlops or maxLayers of tfjsSpace',
  );
}
