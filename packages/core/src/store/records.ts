import type { FailureReason } from '../evaluation/failure.js';
import type { Metrics } from '../evaluation/evaluator.js';
import type { Operator, TellStatus } from '../strategy/strategy.js';

/** One LLM call, as stored. */
export interface LLMCallRecord {
  candidateId: string;
  generation: number;
  /** The mutation prompt of the prompt individual that asked, if any. */
  promptId: number | null;
  provider: string;
  model: string;
  /** The request: prompt or messages, stop, max tokens (JSON). */
  request: unknown;
  reply: string | null;
  temperature: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  /** Decoding was constrained by a grammar. */
  constrained: boolean;
  error: string | null;
}

/** One offspring (or the seed), as stored. */
export interface CandidateRecord {
  id: string;
  /** -1 for the seed network. */
  generation: number;
  index: number;
  operator: Operator;
  parents: string[];
  promptId: number | null;
  temperature: number | null;
  code: string | null;
  ok: boolean;
  failureReason: FailureReason | null;
  failureMessage: string | null;
  fitness: number | null;
  descriptors: number[] | null;
  metrics: Metrics | null;
  info: Record<string, string> | null;
  /** Fate in the strategy's network archive, set when its generation is checkpointed. */
  status: TellStatus | null;
  evaluationMs: number | null;
}

/** Numbers of one finished generation, kept with its checkpoint. */
export interface GenerationStats {
  generation: number;
  /** Offspring evaluated so far, failures included. */
  evaluations: number;
  valid: number;
  failed: number;
  failures: Partial<Record<FailureReason, number>>;
  /** Best fitness among this generation's offspring. */
  generationBest: number | null;
  /** Best fitness so far and its candidate. */
  bestFitness: number | null;
  bestId: string | null;
  coverage: number;
  qdScore: number;
  elites: number;
  /** Per strategy archive: coverage, QD-score, elites. */
  archives: Record<string, { coverage: number; qdScore: number; elites: number }>;
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
  elapsedMs: number;
}

/** Everything needed to continue a run after generation `generation`. */
export interface Checkpoint {
  generation: number;
  strategy: unknown;
  resultArchive: unknown;
  stats: GenerationStats;
}

/** What the run was started with; resume reads it back. */
export interface RunManifest {
  version: 1;
  createdAt: string;
  configPath: string | null;
  seed: number;
  generations: number;
  batchSize: number;
  strategy: { name: string; options: unknown };
  space: string;
  language: string;
  evaluator: string;
  llm: { provider: string; model: string } | null;
  descriptors: { name: string; label: string; bounds: [number, number] }[];
  niches: number;
  promptStyle: string;
}
