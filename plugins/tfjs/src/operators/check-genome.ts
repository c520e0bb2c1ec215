import { resolveCostCaps, type CostCaps } from '../cost/cost-caps.js';
import { layerCost } from '../cost/layer-cost.js';
import { checkCost, modelCost, type NamedLayerCost } from '../cost/model-cost.js';
import { createLayerCatalogue, type LayerRule, type Shape } from '../layers/catalogue.js';
import { downsamples, geneLayer, type LayerCall } from './gene-layer.js';
import { genomeDepth, MAX_GENOME_DEPTH, type TfjsGene, type TfjsGenome } from './genome.js';
import { formatGenome } from './genome-text.js';

/** What a genome must fit: the data and the compiler's caps (cost caps as the compiler defaults them). */
export interface GenomeLimits extends Partial<CostCaps> {
  /** `[height, width, channels]`. */
  inputShape: readonly number[];
  numClasses: number;
  maxParams: number;
  maxFlops: number;
  maxLayers: number;
}

/** A valid genome's costs as the compiler counts them, or why the genome is not valid. */
export type GenomeCheck = { ok: true; params: number; flops: number; layers: number } | { ok: false; problem: string };

const catalogue = createLayerCatalogue();
const rulesByFactory = new Map<string, LayerRule>(Object.values(catalogue.rules).map((rule) => [rule.factory, rule]));

interface AppliedLayer {
  shape: Shape;
  params: number;
  flops: number;
  cost: NamedLayerCost;
}

/** The output shape, weights, FLOPs and training cost of one layer call, from the compiler's own catalogue and cost model. */
function applyLayer(call: LayerCall, input: Shape, index: number): AppliedLayer {
  const rule = rulesByFactory.get(call.factory);
  if (!rule) throw new Error(`the layer catalogue has no tf.layers.${call.factory}`);
  const name = `layer_${index}`;
  const config = rule.configure(call.args, name);
  const shape = rule.outputShape(config, [input]);
  const flops = rule.flops(config, [input], shape);
  const cost = layerCost({ className: rule.className, config, inputs: [input], output: shape, flops });
  return { shape, params: rule.params(config, [input]), flops, cost: { name, className: rule.className, ...cost } };
}

/** The input layer's cost: the batch of images itself. */
function inputCost(inputShape: readonly number[]): NamedLayerCost {
  const shape = [...inputShape];
  return { name: 'input', className: 'InputLayer', ...layerCost({ className: 'InputLayer', config: {}, inputs: [], output: shape, flops: 0 }) };
}

/** Genes of the image part come before the reduce gene, dense genes after it. */
function structureProblem(genome: TfjsGenome): string | undefined {
  const depth = genomeDepth(genome);
  if (depth < 1 || depth > MAX_GENOME_DEPTH) return `it has ${depth} layer genes; the space allows 1 to ${MAX_GENOME_DEPTH}`;
  const reduces = genome.filter((gene) => gene.type === 'reduce').length;
  if (reduces !== 1) return `it has ${reduces} reduce genes (flatten or gap); it needs exactly one`;
  const at = genome.findIndex((gene) => gene.type === 'reduce');
  const misplaced = genome.findIndex(
    (gene, i) => (i > at && (gene.type === 'conv' || gene.type === 'pool')) || (i < at && gene.type === 'dense'),
  );
  if (misplaced >= 0) {
    return `gene ${misplaced + 1} (${formatGenome([genome[misplaced] as TfjsGene])}) is on the wrong side of the reduce gene`;
  }
  return undefined;
}

/** Shape, weights, FLOPs and layer costs after `genes`, or the first gene that cannot be applied. */
function trace(
  genes: TfjsGenome,
  inputShape: readonly number[],
): { shape: Shape; params: number; flops: number; costs: NamedLayerCost[] } | { problem: string } {
  let shape: Shape = [...inputShape];
  let params = 0;
  let flops = 0;
  const costs: NamedLayerCost[] = [inputCost(inputShape)];
  for (const [index, gene] of genes.entries()) {
    const name = `gene ${index + 1} (${formatGenome([gene])})`;
    if (downsamples(gene) && !(shape.length === 3 && (shape[0] as number) >= 2 && (shape[1] as number) >= 2)) {
      return { problem: `${name} would halve a ${shape.slice(0, 2).join('x')} image` };
    }
    try {
      const layer = applyLayer(geneLayer(gene), shape, index);
      shape = layer.shape;
      params += layer.params;
      flops += layer.flops;
      costs.push(layer.cost);
    } catch (error) {
      return { problem: `${name}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { shape, params, flops, costs };
}

/** The shape after a valid prefix of genes (used to draw the next gene). */
export function shapeAfter(genes: TfjsGenome, inputShape: readonly number[]): Shape {
  const traced = trace(genes, inputShape);
  if ('problem' in traced) throw new Error(`invalid genome prefix: ${traced.problem}`);
  return traced.shape;
}

/** Whether the image of this shape can still be halved (by a pool or a stride-2 convolution). */
export function canDownsample(shape: readonly number[]): boolean {
  return shape.length === 3 && (shape[0] as number) >= 2 && (shape[1] as number) >= 2;
}

/**
 * Checks a genome against the space: structure (1..{@link MAX_GENOME_DEPTH} layer genes, one
 * reduce gene, image genes before it, dense genes after it), shapes (no halving below 1x1) and
 * the compiler's caps, counting weights and FLOPs with the compiler's layer catalogue.
 */
export function checkGenome(genome: TfjsGenome, limits: GenomeLimits): GenomeCheck {
  const structure = structureProblem(genome);
  if (structure) return { ok: false, problem: structure };
  const traced = trace(genome, limits.inputShape);
  if ('problem' in traced) return { ok: false, problem: traced.problem };
  const head = applyLayer({ factory: 'dense', args: { units: limits.numClasses, activation: 'softmax' } }, traced.shape, genome.length);
  const params = traced.params + head.params;
  const flops = traced.flops + head.flops;
  const layers = genome.length + 1;
  if (params > limits.maxParams) return { ok: false, problem: `it has ${params} weights, over maxParams (${limits.maxParams})` };
  if (flops > limits.maxFlops) return { ok: false, problem: `it needs ${flops} FLOPs, over maxFlops (${limits.maxFlops})` };
  if (layers > limits.maxLayers) return { ok: false, problem: `it has ${layers} layers, over maxLayers (${limits.maxLayers})` };
  // The same training-cost caps the compiler applies, so every genome drawn compiles.
  const costs = [...traced.costs, head.cost];
  const caps = resolveCostCaps(limits, limits.maxFlops);
  const expensive = checkCost(modelCost(costs, params, caps.trainingBatchSize), costs, caps);
  if (expensive) return { ok: false, problem: expensive.message };
  return { ok: true, params, flops, layers };
}
