/**
 * Why an offspring produced no usable network. Every failure is recorded and charged to the
 * prompt that produced it (curiosity -1); it is never replaced by its parent.
 */
export type FailureReason =
  /** No program could be found in the LLM reply (or the reply was truncated). */
  | 'extraction'
  /** The program does not parse, does not run, or does not build a model. */
  | 'compile'
  /** The model's output is not `[batch, numClasses]`. */
  | 'output-shape'
  /** Training produced NaN or Inf loss. */
  | 'non-finite-loss'
  /** Over a configured cap: parameters, FLOPs, layers. */
  | 'resource-cap'
  /** Over the wall-clock limit. */
  | 'timeout'
  /** Over the memory limit. */
  | 'memory'
  /** Generated code tried something it may not: files, processes, env, network. */
  | 'sandbox-violation'
  /** The evaluator could not score the model (e.g. not in the benchmark table). */
  | 'evaluation'
  /** The evaluating process died. */
  | 'crash'
  /** The LLM call failed after retries. */
  | 'llm';

export const FAILURE_REASONS: readonly FailureReason[] = [
  'extraction',
  'compile',
  'output-shape',
  'non-finite-loss',
  'resource-cap',
  'timeout',
  'memory',
  'sandbox-violation',
  'evaluation',
  'crash',
  'llm',
];

/** A typed failure with a human-readable message naming the problem. */
export interface Failure {
  reason: FailureReason;
  message: string;
}

export type Result<T> = ({ ok: true } & T) | { ok: false; failure: Failure };

export function fail(reason: FailureReason, message: string): { ok: false; failure: Failure } {
  return { ok: false, failure: { reason, message } };
}
