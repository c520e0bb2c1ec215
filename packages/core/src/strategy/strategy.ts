import type { GenerateRequest } from '../llm/provider.js';
import type { Failure } from '../evaluation/failure.js';
import type { Metrics } from '../evaluation/evaluator.js';
import type { Rng } from '../rng/rng.js';
import type { SearchSpace } from '../space/search-space.js';
import type { Archive } from '../archive/archive.js';

/** How an offspring was made. */
export type Operator = 'seed' | 'mutation' | 'crossover' | 'random-generation' | 'random' | 'edit';

/** What a strategy asks for one offspring: an LLM call, or code it made itself. */
export type Proposal =
  | {
      kind: 'llm';
      operator: Operator;
      /** Candidate ids of the parents. */
      parents: string[];
      /** Prompt (mutation instruction) id, when a prompt individual made it. */
      promptId?: number;
      temperature: number;
      /** The request without temperature; the loop adds `temperature`. */
      request: Omit<GenerateRequest, 'signal' | 'temperature'>;
    }
  | { kind: 'code'; operator: Operator; parents: string[]; code: string };

/** An evaluated offspring as the strategy sees it. */
export type CandidateResult =
  | { ok: true; fitness: number; descriptors: number[]; metrics: Metrics }
  | { ok: false; failure: Failure };

export interface Offspring {
  /** Stable id: `g{generation}-{index}`. */
  id: string;
  proposal: Proposal;
  /** The extracted program, when extraction succeeded. */
  code?: string;
  result: CandidateResult;
}

export interface AskContext {
  /** Offspring to plan this generation. */
  batchSize: number;
  /** The stream for offspring `index` of this generation; plans must draw only from these. */
  rng(index: number): Rng;
  /** The stream for generation-wide choices. */
  generationRng: Rng;
  space: SearchSpace<unknown>;
  /** Renders a mutation or crossover request in the configured prompt style. */
  render: PromptRenderer;
}

export interface PromptRenderer {
  mutation(code: string, instruction: string): Omit<GenerateRequest, 'signal' | 'temperature'>;
  crossover(codeA: string, codeB: string): Omit<GenerateRequest, 'signal' | 'temperature'>;
}

/** What `tell` did with each offspring, in order: its fate in the strategy's network archive. */
export type TellStatus = 'new' | 'improved' | 'rejected' | 'failed';

/**
 * A search strategy (pyribs' scheduler role): plans offspring (`ask`) and learns from their
 * evaluation (`tell`). The loop owns LLM calls, evaluation, persistence and budget. `ask` must
 * depend only on the strategy's state and the given streams, so that a resumed generation is
 * planned exactly as the interrupted one was.
 */
export interface SearchStrategy {
  readonly name: string;
  ask(generation: number, context: AskContext): Proposal[];
  tell(generation: number, offspring: readonly Offspring[]): TellStatus[];
  /** JSON-serialisable state, written at every checkpoint. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Archives to report on, by name (e.g. `networks`, `prompts`). */
  archives(): Record<string, Archive<unknown>>;
}
