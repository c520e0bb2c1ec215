import type { GenerationStats } from '../store/records.js';

/** Progress of a run, for the CLI's live display and for embedding applications. */
export type RunEvent =
  | { type: 'start'; generations: number; batchSize: number; resumedFrom: number | null; backend?: string }
  | { type: 'generation'; generation: number }
  | {
      type: 'offspring';
      generation: number;
      id: string;
      ok: boolean;
      fitness: number | null;
      /** Offspring finished in this generation, reused ones included. */
      done: number;
      reused: boolean;
      /** Short facts the evaluator reported (backend, dataset, arch, ...). */
      info?: Record<string, string>;
    }
  /** A progress message of an evaluator (e.g. the training backend, epochs). */
  | { type: 'log'; candidateId: string; message: string }
  | { type: 'checkpoint'; stats: GenerationStats }
  | { type: 'stopped'; reason: string };
