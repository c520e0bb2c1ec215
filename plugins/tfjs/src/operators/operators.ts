import type { SpaceOperators } from '@llmatic/core';
import { resolveCompilerOptions, type TfjsCompilerOptions } from '../compiler.js';
import { checkGenome, type GenomeLimits } from './check-genome.js';
import { parseGenome, readGenomeLine } from './genome-text.js';
import { mutateGenome } from './mutate-genome.js';
import { printGenomeProgram } from './print-program.js';
import { randomGenome } from './random-genome.js';

/**
 * Code-level operators of the tfjs space, for the LLM-free baselines (`randomSearch()`,
 * `regularizedEvolution()`). Programs are printed from a small genome of a sequential classifier
 * (see `TfjsGene`) and carry it on their first line, `// genome: ...`:
 *
 * - `random(rng)`: a random genome (1 to 6 layer genes) that fits the input shape and the caps.
 * - `mutate(code, rng)`: reads the genome line and applies one edit (insert a gene, delete one,
 *   or change one parameter of one), keeping the genome valid.
 *
 * A program without a genome line (the seed, or code an LLM wrote) gets a random genome instead:
 * arbitrary JavaScript has no structure these edits could be applied to. A genome line that does
 * not parse, or does not fit this space's input shape and caps, is an error.
 *
 * Takes the compiler options of the space (`inputShape`, `numClasses`, caps); `tfjsSpace` passes
 * its own.
 */
export function tfjsOperators(options: TfjsCompilerOptions): SpaceOperators {
  const resolved = resolveCompilerOptions(options);
  if (resolved.inputShape.length !== 3) {
    throw new Error(
      `tfjsOperators needs an image input shape [height, width, channels], got [${resolved.inputShape.join(', ')}]; ` +
        'for MNIST use [28, 28, 1]',
    );
  }
  const limits: GenomeLimits = resolved;
  const random: SpaceOperators['random'] = (rng) => printGenomeProgram(randomGenome(rng, limits));
  return {
    random,
    mutate(code, rng) {
      const line = readGenomeLine(code);
      if (line === undefined) return random(rng);
      const parsed = parseGenome(line);
      if (!parsed.ok) throw new Error(`the program's genome line cannot be read: ${parsed.problem}`);
      const check = checkGenome(parsed.genome, limits);
      if (!check.ok) {
        throw new Error(
          `the genome "${line}" does not fit this space: ${check.problem} (was it made for another inputShape or caps?)`,
        );
      }
      return printGenomeProgram(mutateGenome(parsed.genome, rng, limits));
    },
  };
}
