import type { Result } from '../evaluation/failure.js';

export interface CompileContext {
  signal?: AbortSignal;
}

/**
 * Turns source code of one language into a model, or a typed failure with a reason.
 * `M` is whatever the matching evaluator and descriptors consume; it must be plain data
 * (structured-cloneable) so that compile and evaluate may run in different processes.
 */
export interface Compiler<M> {
  /** The code language this compiler accepts, e.g. `nb201-cell`, `tfjs-layers-js`. */
  readonly language: string;
  compile(code: string, context?: CompileContext): Promise<Result<{ model: M }>>;
}
