import type { Rng } from '@llmatic/core';
import { checkGenome, type GenomeLimits } from './check-genome.js';
import { GENE_PARAMETERS, genesOfType, LAYER_GENE_TYPES, type TfjsGene, type TfjsGenome } from './genome.js';

/** One structural edit; `path` is how it is chosen: kind, then position, then type or parameter. */
interface Edit {
  path: readonly string[];
  genome: TfjsGene[];
}

function insertions(genome: TfjsGenome): Edit[] {
  const edits: Edit[] = [];
  for (let at = 0; at <= genome.length; at++) {
    for (const type of LAYER_GENE_TYPES) {
      for (const gene of genesOfType(type)) {
        edits.push({ path: ['insert', String(at), type], genome: [...genome.slice(0, at), gene, ...genome.slice(at)] });
      }
    }
  }
  return edits;
}

function deletions(genome: TfjsGenome): Edit[] {
  return genome.flatMap((gene, at) =>
    gene.type === 'reduce' ? [] : [{ path: ['delete', String(at)], genome: genome.filter((_, i) => i !== at) }],
  );
}

function changes(genome: TfjsGenome): Edit[] {
  return genome.flatMap((gene, at) =>
    Object.entries(GENE_PARAMETERS[gene.type]).flatMap(([key, values]) =>
      values
        .filter((value) => value !== (gene as Record<string, unknown>)[key])
        .map((value) => ({
          path: ['change', String(at), key],
          genome: genome.map((other, i) => (i === at ? ({ ...gene, [key]: value } as TfjsGene) : other)),
        })),
    ),
  );
}

/**
 * Picks level by level, uniformly among the choices present at each level: first the kind
 * (insert, delete, change), then the position, then the gene type or parameter, then the value.
 * A flat uniform pick would almost always insert a convolution (30 of the 40 genes are one).
 */
function pickEdit(edits: readonly Edit[], rng: Rng): Edit {
  let pool = edits;
  for (let level = 0; pool.some((edit) => edit.path.length > level); level++) {
    const key = rng.pick([...new Set(pool.map((edit) => edit.path[level]))]);
    pool = pool.filter((edit) => edit.path[level] === key);
  }
  return rng.pick(pool);
}

/**
 * One structural edit of a valid genome, valid again: insert a layer gene, delete one, or change
 * one parameter of one gene (the reduce gene's flatten/gap included). Only edits whose result
 * passes `checkGenome` (depth, order, shapes, caps) are candidates.
 */
export function mutateGenome(genome: TfjsGenome, rng: Rng, limits: GenomeLimits): TfjsGene[] {
  const edits = [...insertions(genome), ...deletions(genome), ...changes(genome)].filter(
    (edit) => checkGenome(edit.genome, limits).ok,
  );
  if (edits.length === 0) {
    throw new Error('no edit of this genome stays within the caps; raise maxParams, maxFlops or maxLayers of tfjsSpace');
  }
  return pickEdit(edits, rng).genome;
}
