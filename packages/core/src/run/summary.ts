import type { CVTArchive } from '../archive/cvt-archive.js';
import type { FailureReason } from '../evaluation/failure.js';
import type { Metrics } from '../evaluation/evaluator.js';
import type { RunStore } from '../store/run-store.js';
import type { GenerationStats } from '../store/records.js';

export type RunStatus = 'running' | 'completed' | 'stopped';

/** `summary.json`: the run at a glance. */
export interface RunSummary {
  status: RunStatus;
  /** Why the run stopped early, when it did; `llmatic resume` continues it. */
  stopReason?: string;
  dir: string;
  seed: number;
  strategy: string;
  space: string;
  evaluator: string;
  llm: { provider: string; model: string } | null;
  /** Generations finished, of those planned. */
  generations: { completed: number; planned: number; batchSize: number };
  /** Offspring produced and evaluated, failures included. */
  evaluations: number;
  failures: Partial<Record<FailureReason, number>>;
  seedNetwork: { fitness: number | null; metrics: Metrics | null; failure: string | null } | null;
  best: {
    id: string;
    generation: number;
    code: string;
    fitness: number;
    descriptors: number[];
    metrics: Metrics;
    info: Record<string, string> | null;
  } | null;
  archive: {
    niches: number;
    coverage: number;
    qdScore: number;
    elites: number;
    descriptors: { name: string; label: string; bounds: [number, number] }[];
    members: { id: string; niche: number; fitness: number; descriptors: number[]; metrics: Metrics | null }[];
  };
  /** The strategy's own archives (LLMatic: networks and prompts). */
  strategyArchives: GenerationStats['archives'];
  tokens: {
    prompt: number;
    completion: number;
    total: number;
    calls: number;
    /** Per model (an ensemble spreads calls over several). */
    byModel: { model: string; calls: number; promptTokens: number; completionTokens: number }[];
    /** Per mutation prompt id (`null`: crossover and other calls). */
    byPrompt: { promptId: number | null; calls: number; promptTokens: number; completionTokens: number }[];
  };
  elapsedSeconds: number;
}

export function buildSummary(
  store: RunStore,
  resultArchive: CVTArchive<{ id: string }>,
  lastStats: GenerationStats | undefined,
  status: RunStatus,
  stopReason?: string,
): RunSummary {
  const manifest = store.manifest();
  const { evaluations, failures } = store.evaluationCounts();
  const tokens = store.tokenTotals();
  const seed = store.candidate('seed');
  const bestElite = resultArchive.best();
  const best = bestElite ? store.candidate(bestElite.payload.id) : undefined;
  const members = resultArchive.elites().map((elite) => ({
    id: elite.payload.id,
    niche: elite.niche,
    fitness: elite.fitness,
    descriptors: elite.descriptors,
    metrics: store.candidate(elite.payload.id)?.metrics ?? null,
  }));
  return {
    status,
    ...(stopReason ? { stopReason } : {}),
    dir: store.dir,
    seed: manifest.seed,
    strategy: manifest.strategy.name,
    space: manifest.space,
    evaluator: manifest.evaluator,
    llm: manifest.llm,
    generations: {
      completed: lastStats && lastStats.generation >= 0 ? lastStats.generation + 1 : 0,
      planned: manifest.generations,
      batchSize: manifest.batchSize,
    },
    evaluations,
    failures,
    seedNetwork: seed
      ? { fitness: seed.fitness, metrics: seed.metrics, failure: seed.ok ? null : `${seed.failureReason}: ${seed.failureMessage}` }
      : null,
    best:
      best && best.ok && best.fitness !== null && best.descriptors && best.metrics
        ? {
            id: best.id,
            generation: best.generation,
            code: best.code ?? '',
            fitness: best.fitness,
            descriptors: best.descriptors,
            metrics: best.metrics,
            info: best.info,
          }
        : null,
    archive: {
      niches: resultArchive.niches,
      coverage: resultArchive.coverage,
      qdScore: resultArchive.qdScore,
      elites: resultArchive.size,
      descriptors: manifest.descriptors,
      members,
    },
    strategyArchives: lastStats?.archives ?? {},
    tokens: {
      prompt: tokens.promptTokens,
      completion: tokens.completionTokens,
      total: tokens.promptTokens + tokens.completionTokens,
      calls: tokens.calls,
      byModel: store.usageByModel(),
      byPrompt: store.usageByPrompt(),
    },
    elapsedSeconds: (lastStats?.elapsedMs ?? 0) / 1000,
  };
}
