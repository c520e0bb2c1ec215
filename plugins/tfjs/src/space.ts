import type { SearchSpace } from '@llmatic/core';
import { resolveCompilerOptions, TFJS_LANGUAGE, tfjsCompiler, type TfjsCompilerOptions } from './compiler.js';
import { flopsDescriptor } from './descriptors/flops.js';
import { widthDepthDescriptor } from './descriptors/width-depth.js';
import { extractProgram } from './extract.js';
import { tfjsOperators } from './operators/operators.js';
import { tfjsPrompts } from './prompts.js';
import { SEED_PROGRAM } from './seed.js';
import type { TfjsModelSpec } from './spec.js';

/** Options of {@link tfjsSpace}: the compiler's, plus descriptor bounds. */
export interface TfjsSpaceOptions extends TfjsCompilerOptions {
  /**
   * Bounds used to normalise the network archive's descriptors. Defaults are SPEC's CIFAR-10
   * values (FLOPs 200 MFLOPs..5 GFLOPs, width/depth 0..200); MNIST-sized networks need far
   * smaller FLOPs bounds.
   */
  descriptorBounds?: {
    flops?: readonly [number, number];
    widthDepth?: readonly [number, number];
  };
}

/**
 * The TensorFlow.js search space: programs are JavaScript defining
 * `buildModel(tf, { inputShape, numClasses })`, compiled in a sandbox into a validated Layers
 * topology ({@link TfjsModelSpec}) that a trainer rebuilds with `tf.models.modelFromJSON`.
 * Its `operators` ({@link tfjsOperators}) let the LLM-free baselines search it too.
 */
export function tfjsSpace(options: TfjsSpaceOptions): SearchSpace<TfjsModelSpec> {
  const { descriptorBounds, ...compilerOptions } = options;
  const resolved = resolveCompilerOptions(compilerOptions);
  if (resolved.inputShape.length !== 3) {
    throw new Error(
      `tfjsSpace needs an image input shape [height, width, channels], got [${resolved.inputShape.join(', ')}]; ` +
        'for MNIST use [28, 28, 1]',
    );
  }
  for (const [name, bounds] of Object.entries(descriptorBounds ?? {})) {
    if (!bounds || !(bounds[0] < bounds[1])) {
      throw new Error(`tfjsSpace descriptorBounds.${name} must be [low, high] with low < high`);
    }
  }
  return {
    name: 'tfjs',
    language: TFJS_LANGUAGE,
    seed: SEED_PROGRAM,
    prompts: tfjsPrompts(resolved),
    extract: extractProgram,
    compiler: tfjsCompiler(resolved),
    descriptors: [widthDepthDescriptor(descriptorBounds?.widthDepth), flopsDescriptor(descriptorBounds?.flops)],
    operators: tfjsOperators(resolved),
  };
}
