import type { Result } from '../evaluation/failure.js';
import type { Descriptor } from '../descriptors/descriptor.js';
import type { Compiler } from './compiler.js';
import type { PromptTemplates } from '../prompts/templates.js';
import type { Rng } from '../rng/rng.js';

/**
 * Everything that belongs to one code language: how the LLM sees a network (seed program,
 * prompt templates), how a reply becomes a model (extraction, compiler), and the default
 * descriptors of the network archive.
 */
export interface SearchSpace<M> {
  /** Plugin name, e.g. `nasbench201`. */
  readonly name: string;
  /** Code language, the same as `compiler.language`. */
  readonly language: string;
  /** The seed network's source code. */
  readonly seed: string;
  readonly prompts: PromptTemplates;
  /** Finds the program in an LLM reply (fences, prose, several candidates, truncation). */
  extract(reply: string): Result<{ code: string }>;
  readonly compiler: Compiler<M>;
  /** Default descriptors of the network archive. */
  readonly descriptors: readonly Descriptor<M>[];
  /** Optional GBNF grammar for constrained decoding of replies. */
  readonly grammar?: string;
  /**
   * Optional structural operators used by LLM-free baselines (random search, regularized
   * evolution). Both return source code in this space's language.
   */
  readonly operators?: SpaceOperators;
}

/** Code-level operators for baselines that need no LLM. */
export interface SpaceOperators {
  /** A uniformly random program of the space. */
  random(rng: Rng): string;
  /** One small structural edit of `code` (for NAS-Bench-201: one edge's op). */
  mutate(code: string, rng: Rng): string;
}
