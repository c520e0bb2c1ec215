import type { TfjsGene } from './genome.js';

/** A `tf.layers.<factory>(args)` call; arguments are plain numbers and strings. */
export interface LayerCall {
  factory: string;
  args: Record<string, number | string>;
}

/**
 * The layer a gene stands for. The printer writes exactly this call, and `checkGenome` runs it
 * through the compiler's layer catalogue, so the costs it computes are the compiler's.
 */
export function geneLayer(gene: TfjsGene): LayerCall {
  switch (gene.type) {
    case 'conv':
      return {
        factory: 'conv2d',
        args: { filters: gene.filters, kernelSize: gene.kernel, strides: gene.stride, padding: 'same', activation: 'relu' },
      };
    case 'pool':
      return { factory: gene.mode === 'max' ? 'maxPooling2d' : 'averagePooling2d', args: { poolSize: 2, strides: 2 } };
    case 'batchnorm':
      return { factory: 'batchNormalization', args: {} };
    case 'dropout':
      return { factory: 'dropout', args: { rate: gene.rate } };
    case 'dense':
      return { factory: 'dense', args: { units: gene.units, activation: 'relu' } };
    case 'reduce':
      return { factory: gene.mode === 'flatten' ? 'flatten' : 'globalAveragePooling2d', args: {} };
  }
}

/** Whether a gene halves the image (and so needs at least 2x2 to work on). */
export function downsamples(gene: TfjsGene): boolean {
  return gene.type === 'pool' || (gene.type === 'conv' && gene.stride === 2);
}
