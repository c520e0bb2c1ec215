import type { Artifact, Metrics } from '../evaluation/evaluator.js';
import type { Failure } from '../evaluation/failure.js';

/** A serialisable evaluation job: the code in, a {@link JobResult} out. */
export interface EvaluationJob {
  candidateId: string;
  code: string;
}

/** The serialisable outcome of a job. */
export type JobResult =
  | {
      ok: true;
      fitness: number;
      descriptors: number[];
      metrics: Metrics;
      info?: Record<string, string>;
      artifacts?: Artifact[];
      evaluationMs: number;
    }
  | { ok: false; failure: Failure; evaluationMs: number };

/** Runs evaluation jobs (in this process, in worker threads, or elsewhere). */
export interface Executor {
  /**
   * Evaluates one job. `log` receives the evaluator's progress messages (backend chosen, epochs),
   * where the executor can forward them.
   */
  run(job: EvaluationJob, signal?: AbortSignal, log?: (message: string) => void): Promise<JobResult>;
  close(): Promise<void>;
}
