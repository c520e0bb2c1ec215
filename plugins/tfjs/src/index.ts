export type {
  JsonValue,
  InboundTensorRef,
  TopologyLayer,
  TfjsModelTopology,
  TfjsLayerSummary,
  TfjsModelSpec,
} from './spec.js';
export { extractProgram } from './extract.js';
export {
  tfjsCompiler,
  resolveCompilerOptions,
  TFJS_LANGUAGE,
  type TfjsCompilerOptions,
  type ResolvedTfjsCompilerOptions,
} from './compiler.js';
export { validateTopology, type TopologyLimits } from './topology/validate.js';
export { DEFAULT_COST_CAPS, TRAINING_FLOPS_PER_FLOP, type CostCaps } from './cost/cost-caps.js';
export { sandboxIsolation, type Isolation as SandboxIsolation } from './sandbox/isolation.js';
export type { TfjsModelCost } from './cost/model-cost.js';
export { SUPPORTED_CLASSES } from './topology/schema.js';
export { flopsDescriptor, DEFAULT_FLOPS_BOUNDS } from './descriptors/flops.js';
export { paramsDescriptor, DEFAULT_PARAMS_BOUNDS } from './descriptors/params.js';
export { widthDepthDescriptor, widthToDepth, DEFAULT_WIDTH_DEPTH_BOUNDS } from './descriptors/width-depth.js';
export { tfjsPrompts, contractText, SUPPORTED_FACTORIES, type TfjsPromptOptions } from './prompts.js';
export { SEED_PROGRAM } from './seed.js';
export { tfjsSpace, type TfjsSpaceOptions } from './space.js';
export { tfjsOperators } from './operators/operators.js';
export {
  CONV_FILTERS,
  CONV_KERNELS,
  CONV_STRIDES,
  DENSE_UNITS,
  DROPOUT_RATES,
  POOL_MODES,
  REDUCE_MODES,
  MAX_GENOME_DEPTH,
  type TfjsGene,
  type TfjsGeneType,
  type TfjsGenome,
} from './operators/genome.js';
export { formatGenome, parseGenome, readGenomeLine, type ParsedGenome } from './operators/genome-text.js';
export { checkGenome, type GenomeCheck, type GenomeLimits } from './operators/check-genome.js';
export { randomGenome } from './operators/random-genome.js';
export { mutateGenome } from './operators/mutate-genome.js';
export { printGenomeProgram } from './operators/print-program.js';
