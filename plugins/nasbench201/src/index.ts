export { NB201_OPS, CELL_OP_NAMES, CELL_OP_LIST, EDGES, resolveOp, type Nb201Op } from './cell/ops.js';
export { formatArch, cellFromOps, type NasBench201Cell, type EdgeOps } from './cell/cell.js';
export { parseArch, type ArchParse } from './cell/arch.js';
export { parseCell, type CellParse, type CellSyntaxError } from './cell/parse.js';
export { printCell, CELL_HEADER, type PrintOptions } from './cell/print.js';
export { CELL_GRAMMAR } from './cell/grammar.js';
export { extractCell } from './extract/extract.js';
export { nasBench201Compiler, NB201_LANGUAGE } from './compiler/compiler.js';
export { cellFlops, cellParams, flopsRange, paramsRange } from './cost/cost.js';
export {
  flopsDescriptor,
  skipCountDescriptor,
  skipCount,
  effectiveDepthDescriptor,
  effectiveDepth,
  defaultDescriptors,
} from './descriptors/descriptors.js';
export {
  nasBench201Prompts,
  CELL_MUTATIONS,
  CELL_CROSSOVER_INSTRUCTION,
  CELL_RANDOM_GENERATION_INSTRUCTION,
  EXAMPLE_CELL,
} from './prompts/templates.js';
export { nasBench201Operators, randomOps, mutateOps } from './space/operators.js';
export { nasBench201Space, SEED_CELL, SEED_OPS, type NasBench201SpaceOptions } from './space/space.js';
export { NB201_DATASETS, DATASET_FACTS, type Nb201Dataset, type DatasetFacts } from './datasets.js';
export {
  nasBench201Oracle,
  type NasBench201Oracle,
  type NasBench201OracleOptions,
} from './oracle/evaluator.js';
export { TABLE_COLUMNS, datasetColumns, type DatasetColumns, type Nb201Release, type NumericColumn } from './oracle/columns.js';
export { loadNb201Table, parseNb201Table, Nb201Table, NasBench201TableError, competitionRanks } from './oracle/table.js';
export { locateNb201Table, cacheFile, TABLE_ENV, TABLE_FILE, type TableLocation } from './oracle/locate.js';
export { buildNb201Table, assembleTableCsv, gitBlobId, type FetchLike, type BuildOptions, type SourceContents } from './oracle/build.js';
export {
  NB201_SOURCES,
  NB201_TABLE_SHA256,
  NB201_TABLE_GZ_SHA256,
  NB201_SIZE,
  type Nb201Sources,
  type SourceFile,
} from './oracle/sources.js';
export { nasBench201, type NasBench201Options } from './preset.js';
