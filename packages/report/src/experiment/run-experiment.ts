import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Runner, type ResolvedConfig, type RunEvent, type RunSummary } from '@llmatic/core';
import { readRunResult, runFolderState, type RunResult } from './run-result.js';
import type { ExperimentVariant } from './variants.js';
import { writeExperimentResults, type ExperimentFiles } from './write-results.js';

/** Progress of an experiment, one event per run. */
export type ExperimentEvent =
  | { type: 'run'; variant: string; seed: number; dir: string; action: 'start' | 'resume' | 'skip'; index: number; total: number }
  | { type: 'run-finished'; variant: string; seed: number; dir: string; summary: RunSummary };

export interface ExperimentOptions {
  /** The experiment folder: `<out>/<variant>/seed-<seed>/` per run, results at the top. */
  out: string;
  /** Runs per variant; run k uses seed `config.seed + k`. */
  seeds: number;
  variants: readonly ExperimentVariant[];
  /**
   * A fresh, validated config for each run (the experiment sets its strategy and seed). Fresh,
   * because a run closes its evaluator and LLM when it ends.
   */
  loadConfig: () => Promise<ResolvedConfig>;
  /** Recorded in every run (so `llmatic resume` works on one) and in the results. */
  configPath?: string;
  /** Stops the current run after its finished work is saved; a later call resumes. */
  signal?: AbortSignal;
  onEvent?: (event: ExperimentEvent) => void;
  /** Events of the run in progress (for a progress display). */
  onRunEvent?: (event: RunEvent) => void;
}

export interface ExperimentOutcome {
  /** Every run finished. */
  completed: boolean;
  /** Why the experiment stopped early, when it did. */
  stopReason?: string;
  runs: RunResult[];
  files: ExperimentFiles;
}

/**
 * Runs every variant with every seed, each as a normal run folder, then writes the tables and
 * figures. Calling it again on the same folder resumes: finished runs are skipped, stopped ones
 * continue from their last checkpoint (Runner.resume), missing ones start.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentOutcome> {
  const out = resolve(options.out);
  const first = await options.loadConfig();
  const seeds = Array.from({ length: options.seeds }, (_, k) => first.seed + k);
  const description = {
    seeds,
    generations: first.generations,
    batchSize: first.batchSize,
    configPath: options.configPath ?? null,
    space: first.space.name,
    evaluator: first.evaluator.name,
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'experiment.json'),
    `${JSON.stringify({ version: 1, ...description, variants: options.variants.map((v) => ({ name: v.name, strategy: v.strategy.name, options: v.strategy.options })) }, null, 2)}\n`,
  );
  const dirOf = (variant: ExperimentVariant, seed: number) => join(out, variant.name, `seed-${seed}`);
  const total = seeds.length * options.variants.length;
  let index = 0;
  let stopReason: string | undefined;
  let loaded: ResolvedConfig | undefined = first;
  // Seed-major order: an interrupted experiment has comparable runs of every variant.
  outer: for (const seed of seeds) {
    for (const variant of options.variants) {
      index += 1;
      const dir = dirOf(variant, seed);
      const state = runFolderState(dir, first.generations);
      if (state === 'completed') {
        options.onEvent?.({ type: 'run', variant: variant.name, seed, dir, action: 'skip', index, total });
        continue;
      }
      const base = loaded ?? (await options.loadConfig());
      loaded = undefined;
      const config: ResolvedConfig = { ...base, strategy: variant.strategy, seed };
      const runOptions = {
        dir,
        ...(options.configPath ? { configPath: options.configPath } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onRunEvent ? { onEvent: options.onRunEvent } : {}),
      };
      options.onEvent?.({ type: 'run', variant: variant.name, seed, dir, action: state === 'absent' ? 'start' : 'resume', index, total });
      let summary: RunSummary;
      try {
        const runner = state === 'absent' ? Runner.start(config, runOptions) : Runner.resume(config, runOptions);
        summary = await runner.execute();
      } finally {
        await config.llm?.close?.();
      }
      options.onEvent?.({ type: 'run-finished', variant: variant.name, seed, dir, summary });
      if (summary.status !== 'completed') {
        stopReason = `${variant.name} seed ${seed}: ${summary.stopReason ?? 'stopped'}`;
        break outer;
      }
    }
  }
  const runs: RunResult[] = [];
  for (const seed of seeds) {
    for (const variant of options.variants) {
      const dir = dirOf(variant, seed);
      if (runFolderState(dir, first.generations) !== 'absent') runs.push(readRunResult(dir, variant.name, seed, first.generations));
    }
  }
  const files = await writeExperimentResults(out, description, options.variants.map((v) => v.name), runs);
  return { completed: stopReason === undefined, ...(stopReason ? { stopReason } : {}), runs, files };
}
