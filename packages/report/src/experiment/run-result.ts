import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '@llmatic/core';
import { anytimeCurve, type AnytimePoint } from '../data/anytime.js';

/** The numbers of one run of an experiment. */
export interface RunResult {
  variant: string;
  seed: number;
  dir: string;
  /** All planned generations are checkpointed. */
  completed: boolean;
  generationsCompleted: number;
  evaluations: number;
  /** Highest fitness (the selection criterion), null without a valid offspring. */
  bestFitness: number | null;
  /** Test accuracy of the candidate selected by fitness (first to reach the best fitness). */
  bestTestAccuracy: number | null;
  /** Of the run's result archive after its last finished generation. */
  coverage: number | null;
  qdScore: number | null;
  /** Offspring that failed (any reason). */
  failures: number;
  /** Best fitness so far after each finished generation. */
  perGeneration: { generation: number; bestFitness: number }[];
  /** After each evaluation: the best fitness and the selected candidate's test accuracy. */
  anytime: AnytimePoint[];
}

/** Whether a run folder holds nothing yet, a run to continue, or a finished run. */
export type RunFolderState = 'absent' | 'partial' | 'completed';

export function runFolderState(dir: string, generations: number): RunFolderState {
  if (!existsSync(join(dir, 'run.db'))) return 'absent';
  const store = RunStore.open(dir, { readonly: true });
  try {
    const checkpoint = store.lastCheckpoint();
    return checkpoint && checkpoint.generation >= generations - 1 ? 'completed' : 'partial';
  } finally {
    store.close();
  }
}

/** Reads one run's numbers from its store (read-only). */
export function readRunResult(dir: string, variant: string, seed: number, generations: number): RunResult {
  const store = RunStore.open(dir, { readonly: true });
  try {
    const stats = store.generationStats().filter((s) => s.generation >= 0);
    const last = stats.at(-1);
    // Only checkpointed generations count: a generation in progress is not a result yet.
    const checkpointed = new Set(stats.map((s) => s.generation));
    const offspring = store.candidates().filter((c) => c.generation >= 0 && checkpointed.has(c.generation));
    const anytime = anytimeCurve(offspring);
    const final = anytime.at(-1);
    return {
      variant,
      seed,
      dir,
      completed: last !== undefined && last.generation >= generations - 1,
      generationsCompleted: last ? last.generation + 1 : 0,
      evaluations: offspring.length,
      bestFitness: final?.fitness ?? null,
      bestTestAccuracy: final?.value ?? null,
      coverage: last?.coverage ?? null,
      qdScore: last?.qdScore ?? null,
      failures: offspring.filter((c) => !c.ok).length,
      perGeneration: stats.flatMap((s) => (s.bestFitness === null ? [] : [{ generation: s.generation, bestFitness: s.bestFitness }])),
      anytime,
    };
  } finally {
    store.close();
  }
}
