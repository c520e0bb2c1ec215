import type { Result } from './failure.js';

/** Named numeric results of an evaluation, e.g. `valAccuracy`, `testAccuracy`, `flops`. */
export type Metrics = Record<string, number>;

/** A binary file produced by an evaluation (e.g. trained weights), kept for elites. */
export interface Artifact {
  /** File name inside the candidate's artifact folder, e.g. `model.json`. */
  name: string;
  data: Uint8Array;
}

export interface EvaluateContext {
  /** Stable id of the candidate being evaluated. */
  candidateId: string;
  signal?: AbortSignal;
  /** Progress messages for logs. */
  log?: (message: string) => void;
}

/** A successful evaluation. `fitness` is what selection uses (higher is better). */
export interface Evaluation {
  fitness: number;
  metrics: Metrics;
  /** Short textual facts worth keeping (backend used, benchmark arch string, ...). */
  info?: Record<string, string>;
  artifacts?: Artifact[];
}

/**
 * Scores a compiled model: trains and tests it, or looks it up in a benchmark.
 * Implementations must be safe to call concurrently.
 */
export interface Evaluator<M> {
  readonly name: string;
  evaluate(model: M, context: EvaluateContext): Promise<Result<Evaluation>>;
  /**
   * Optional start-up check (data present, backend loadable), called before a run starts so that
   * a missing table or dataset stops it with one clear error instead of failing every candidate.
   */
  check?(): Promise<void>;
  close?(): Promise<void>;
}
