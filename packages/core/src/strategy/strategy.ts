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

/** One offspring to plan: its id, its place in its generation and its own random stream. */
export interface OffspringSlot {
  /** Stable id: `g{generation}-{index}`. */
  id: string;
  generation: number;
  index: number;
  /** The offspring's stream, derived from (run seed, generation, index); plans draw only from it. */
  rng: Rng;
}

export interface AskContext {
  /** The generation the offspring belong to. */
  generation: number;
  /** The generation's nominal size (`batchSize` of the config). */
  batchSize: number;
  /**
   * The offspring to plan, in order. A strategy plans all of them or a prefix (at least one):
   * the loop evaluates what was planned, tells the results, and asks again for the rest, so a
   * strategy can learn within a generation (its "wave") and stay reproducible.
   */
  offspring: readonly OffspringSlot[];
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
 * evaluation (`tell`). The loop owns LLM calls, evaluation, persistence and budget.
 *
 * The loop may ask for a whole generation at once (generational mode) or for a few offspring
 * whenever evaluation slots free up (steady-state mode), and tells results as they are known;
 * a strategy must therefore key what it remembers of a plan by the offspring's id, not by its
 * position. `ask` must depend only on the strategy's state and the given streams, so that a
 * resumed run is planned exactly as the interrupted one was (given the same order of `tell`s).
 */
export interface SearchStrategy {
  readonly name: string;
  /** Proposals for `context.offspring`, in order: all of them or a non-empty prefix. */
  ask(context: AskContext): Proposal[];
  /** Results of offspring that `ask` planned, in any order and any grouping. */
  tell(offspring: readonly Offspring[]): TellStatus[];
  /**
   * Called once a generation's worth of offspring has been told (generational mode: the
   * generation; steady-state mode: every `batchSize` results), before the checkpoint.
   */
  endGeneration?(generation: number): void;
  /**
   * JSON-serialisable state, written at every checkpoint. It includes the plans of offspring
   * asked but not yet told, so a checkpoint taken mid-flight (steady-state) resumes them.
   */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Archives to report on, by name (e.g. `networks`, `prompts`). */
  archives(): Record<string, Archive<unknown>>;
}
