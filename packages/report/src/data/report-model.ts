import type { CandidateRecord, FailureReason, GenerationStats } from '@llmatic/core';
import type { RunData } from './run-data.js';

/** NAS-Bench-201 has 15,625 cells; ranks in its metrics are among them. */
export const NB201_CELLS = 15_625;

/** A row of the elites table. */
export interface EliteRow {
  id: string;
  niche: number;
  fitness: number;
  descriptors: number[];
  metrics: Record<string, number>;
  generation: number | null;
  operator: string | null;
  code: string | null;
}

/** The numbers a report states, computed once from the run data. */
export interface ReportModel {
  /** The last finished generation's numbers (undefined before the seed's checkpoint). */
  last: GenerationStats | undefined;
  generationsCompleted: number;
  /** Offspring recorded (seed excluded), including those of an unfinished generation. */
  evaluations: number;
  /** Offspring recorded after the last checkpoint (a generation in progress). */
  inProgress: number;
  valid: number;
  failures: Partial<Record<FailureReason, number>>;
  seed: CandidateRecord | undefined;
  /** The best candidate by fitness at the last checkpoint (the one selection picks). */
  best: CandidateRecord | undefined;
  /** NAS-Bench-201 only: the selected candidate's test accuracy and rank, and the best test accuracy seen. */
  nasBench201:
    | {
        selectedTestAccuracy: number | null;
        selectedTestRank: number | null;
        bestSeenTestAccuracy: number | null;
        bestSeenTestRank: number | null;
        bestSeenId: string | null;
      }
    | undefined;
  /** Elites of the network archive, best first. */
  elites: EliteRow[];
  tokens: { prompt: number; completion: number; calls: number; failedCalls: number; meanLatencyMs: number | null };
}

export function buildReportModel(data: RunData): ReportModel {
  const byId = new Map(data.candidates.map((c) => [c.id, c]));
  const offspring = data.candidates.filter((c) => c.generation >= 0);
  const last = data.stats.at(-1);
  const failures: Partial<Record<FailureReason, number>> = {};
  for (const c of offspring) {
    if (!c.ok) failures[c.failureReason ?? 'crash'] = (failures[c.failureReason ?? 'crash'] ?? 0) + 1;
  }
  const best = last?.bestId ? byId.get(last.bestId) : undefined;
  const elites = (data.archives.networks?.elites ?? [])
    .map((elite): EliteRow => {
      const candidate = elite.id ? byId.get(elite.id) : undefined;
      return {
        id: elite.id ?? `niche-${elite.niche}`,
        niche: elite.niche,
        fitness: elite.fitness,
        descriptors: candidate?.descriptors ?? [elite.x, elite.y],
        metrics: candidate?.metrics ?? {},
        generation: candidate?.generation ?? null,
        operator: candidate?.operator ?? null,
        code: candidate?.code ?? null,
      };
    })
    .sort((a, b) => b.fitness - a.fitness || a.niche - b.niche);
  let nasBench201: ReportModel['nasBench201'];
  if (data.manifest.space === 'nasbench201') {
    let seen: CandidateRecord | undefined;
    for (const c of offspring) {
      const test = c.metrics?.testAccuracy;
      if (c.ok && typeof test === 'number' && (seen === undefined || test > (seen.metrics?.testAccuracy ?? -Infinity))) seen = c;
    }
    nasBench201 = {
      selectedTestAccuracy: best?.metrics?.testAccuracy ?? null,
      selectedTestRank: best?.metrics?.testRank ?? null,
      bestSeenTestAccuracy: seen?.metrics?.testAccuracy ?? null,
      bestSeenTestRank: seen?.metrics?.testRank ?? null,
      bestSeenId: seen?.id ?? null,
    };
  }
  const latencies = data.llmCalls.map((call) => call.latencyMs);
  const checkpointed = last?.evaluations ?? 0;
  return {
    last,
    generationsCompleted: last && last.generation >= 0 ? last.generation + 1 : 0,
    evaluations: offspring.length,
    inProgress: Math.max(0, offspring.length - checkpointed),
    valid: offspring.filter((c) => c.ok).length,
    failures,
    seed: byId.get('seed'),
    best,
    nasBench201,
    elites,
    tokens: {
      prompt: data.llmCalls.reduce((sum, call) => sum + call.promptTokens, 0),
      completion: data.llmCalls.reduce((sum, call) => sum + call.completionTokens, 0),
      calls: data.llmCalls.length,
      failedCalls: data.llmCalls.filter((call) => call.error !== null).length,
      meanLatencyMs: latencies.length > 0 ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
    },
  };
}
