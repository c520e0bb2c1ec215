import { geneLayer } from './gene-layer.js';
import type { TfjsGenome } from './genome.js';
import { formatGenome, GENOME_LINE_PREFIX } from './genome-text.js';

function printArgs(args: Record<string, number | string>, first: boolean): string {
  const entries = Object.entries(args).map(([key, value]) => `${key}: ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  if (first) entries.unshift('inputShape');
  return entries.length === 0 ? '' : `{ ${entries.join(', ')} }`;
}

/**
 * The genome as a program of the space's contract: `// genome: <text>` on the first line (what
 * `mutate` reads back), then `buildModel(tf, { inputShape, numClasses })` adding one layer per
 * gene to a `tf.sequential()` model and ending with `dense(numClasses, softmax)`.
 */
export function printGenomeProgram(genome: TfjsGenome): string {
  const layers = genome.map((gene, index) => {
    const { factory, args } = geneLayer(gene);
    return `  model.add(tf.layers.${factory}(${printArgs(args, index === 0)}));`;
  });
  return [
    `${GENOME_LINE_PREFIX} ${formatGenome(genome)}`,
    'function buildModel(tf, { inputShape, numClasses }) {',
    '  const model = tf.sequential();',
    ...layers,
    "  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));",
    '  return model;',
    '}',
    '',
  ].join('\n');
}
