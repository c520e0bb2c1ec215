import type { FailureReason } from '@llmatic/core';
import type { RunData } from './run-data.js';

/** Offspring of one generation with one outcome: `valid` or a failure reason. */
export interface OutcomeCount {
  generation: number;
  outcome: 'valid' | FailureReason;
  count: number;
}

/** Valid and failed offspring per generation, by failure reason, from the candidates table. */
export function outcomesPerGeneration(data: RunData): OutcomeCount[] {
  const counts = new Map<string, OutcomeCount>();
  for (const c of data.candidates) {
    if (c.generation < 0) continue;
    const outcome = c.ok ? 'valid' : (c.failureReason ?? 'crash');
    const key = `${c.generation}/${outcome}`;
    const entry = counts.get(key) ?? { generation: c.generation, outcome, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.generation - b.generation || a.outcome.localeCompare(b.outcome));
}

/** Tokens per generation, split into prompt and completion tokens. */
export interface TokenCount {
  generation: number;
  kind: 'prompt' | 'completion';
  tokens: number;
}

export function tokensPerGeneration(data: RunData): TokenCount[] {
  const byGeneration = new Map<number, { prompt: number; completion: number }>();
  for (const call of data.llmCalls) {
    const entry = byGeneration.get(call.generation) ?? { prompt: 0, completion: 0 };
    entry.prompt += call.promptTokens;
    entry.completion += call.completionTokens;
    byGeneration.set(call.generation, entry);
  }
  return [...byGeneration.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([generation, t]) => [
      { generation, kind: 'prompt' as const, tokens: t.prompt },
      { generation, kind: 'completion' as const, tokens: t.completion },
    ]);
}

/** Best fitness so far and the generation's best, per finished generation. */
export interface FitnessPoint {
  generation: number;
  series: 'best so far' | 'best of the generation';
  fitness: number;
}

export function fitnessPerGeneration(data: RunData): FitnessPoint[] {
  return data.stats
    .filter((s) => s.generation >= 0)
    .flatMap((s) => [
      ...(s.bestFitness === null ? [] : [{ generation: s.generation, series: 'best so far' as const, fitness: s.bestFitness }]),
      ...(s.generationBest === null ? [] : [{ generation: s.generation, series: 'best of the generation' as const, fitness: s.generationBest }]),
    ]);
}

/** Coverage and QD-score of an archive after a finished generation. */
export interface ArchivePoint {
  generation: number;
  archive: string;
  coverage: number;
  qdScore: number;
}

const ARCHIVE_NAMES: Record<string, string> = {
  networks: 'network archive',
  prompts: 'prompt archive',
};

/** Per finished generation: the result archive's and each strategy archive's coverage and QD-score. */
export function archivesPerGeneration(data: RunData): ArchivePoint[] {
  return data.stats
    .filter((s) => s.generation >= 0)
    .flatMap((s) => [
      { generation: s.generation, archive: 'result archive', coverage: s.coverage, qdScore: s.qdScore },
      ...Object.entries(s.archives).map(([name, a]) => ({
        generation: s.generation,
        archive: ARCHIVE_NAMES[name] ?? name,
        coverage: a.coverage,
        qdScore: a.qdScore,
      })),
    ]);
}
