import pLimit from 'p-limit';
import { Rng } from '../rng/rng.js';
import { LLMError, type LLMProvider } from '../llm/provider.js';
import type { Executor, JobResult } from '../executor/job.js';
import type { SearchSpace } from '../space/search-space.js';
import type { RunStore } from '../store/run-store.js';
import type { CandidateRecord } from '../store/records.js';
import type { CandidateResult, Offspring, Proposal } from '../strategy/strategy.js';
import type { Failure } from '../evaluation/failure.js';
import type { RunEvent } from './events.js';
import { RunStopped } from './run-stopped.js';

/** Where a proposal belongs: its offspring id and its index in the generation. */
export interface OffspringPlace {
  id: string;
  index: number;
}

export interface ProducerOptions {
  store: RunStore;
  space: SearchSpace<unknown>;
  executor: Executor;
  llm: LLMProvider | undefined;
  llmConcurrency: number;
  evaluationConcurrency: number;
  /** Attach the space's grammar to LLM requests. */
  constrained: boolean;
  keepArtifacts: 'elites' | 'all' | 'none';
  /** The run's seed: each LLM request carries a sampling seed derived from it and the candidate. */
  runSeed: number;
  emit: (event: RunEvent) => void;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A stored candidate's result as the strategy sees it (reused offspring, steady-state replay). */
export function toResult(record: CandidateRecord): CandidateResult {
  if (record.ok && record.fitness !== null && record.descriptors && record.metrics) {
    return { ok: true, fitness: record.fitness, descriptors: record.descriptors, metrics: record.metrics };
  }
  return {
    ok: false,
    failure: { reason: record.failureReason ?? 'crash', message: record.failureMessage ?? 'unknown failure' },
  };
}

/**
 * Turns a generation's proposals into evaluated offspring: LLM call, extraction, evaluation, each
 * persisted as soon as it finishes. On resume, stored candidates and stored LLM replies are reused,
 * so no finished evaluation (and no paid LLM call) is repeated.
 */
export class OffspringProducer {
  private readonly llmLimit: ReturnType<typeof pLimit>;
  private readonly evaluationLimit: ReturnType<typeof pLimit>;

  constructor(private readonly options: ProducerOptions) {
    this.llmLimit = pLimit(options.llmConcurrency);
    this.evaluationLimit = pLimit(options.evaluationConcurrency);
  }

  /** `places` (id and index in the generation of each proposal) default to `g{generation}-{i}`, i = 0, 1, ... */
  async produce(
    generation: number,
    proposals: readonly Proposal[],
    outer?: AbortSignal,
    places: readonly OffspringPlace[] = proposals.map((_, index) => ({ id: `g${generation}-${index}`, index })),
  ): Promise<Offspring[]> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    let stop: RunStopped | undefined;
    let done = 0;
    const tasks = proposals.map(async (proposal, position) => {
      const { id, index } = places[position] ?? { id: `g${generation}-${position}`, index: position };
      try {
        const { offspring, reused, info } = await this.one(generation, index, id, proposal, controller.signal);
        done += 1;
        const fitness = offspring.result.ok ? offspring.result.fitness : null;
        this.options.emit({ type: 'offspring', generation, id, ok: offspring.result.ok, fitness, done, reused, ...(info ? { info } : {}) });
        return offspring;
      } catch (error) {
        if (!stop && outer?.aborted) stop = new RunStopped('interrupted by the user', 'interrupted');
        if (!stop) {
          stop =
            error instanceof RunStopped
              ? error
              : error instanceof LLMError && error.fatal
                ? new RunStopped(error.message, error.kind === 'budget' ? 'budget' : 'llm')
                : new RunStopped(`interrupted: ${errorText(error)}`, 'interrupted');
        }
        controller.abort(stop);
        return undefined;
      }
    });
    const results = await Promise.all(tasks);
    outer?.removeEventListener('abort', onAbort);
    if (stop) throw stop;
    if (outer?.aborted) throw new RunStopped('interrupted by the user', 'interrupted');
    return results.filter((o): o is Offspring => o !== undefined);
  }

  private async one(
    generation: number,
    index: number,
    id: string,
    proposal: Proposal,
    signal: AbortSignal,
  ): Promise<{ offspring: Offspring; reused: boolean; info?: Record<string, string> }> {
    const stored = this.options.store.candidate(id);
    if (stored) {
      const offspring = { id, proposal, ...(stored.code ? { code: stored.code } : {}), result: toResult(stored) };
      return { offspring, reused: true, ...(stored.info ? { info: stored.info } : {}) };
    }
    const source = proposal.kind === 'llm' ? await this.reply(generation, id, proposal, signal) : { code: proposal.code };
    let result: JobResult;
    if ('failure' in source) {
      result = { ok: false, failure: source.failure, evaluationMs: 0 };
    } else {
      result = await this.evaluationLimit(() => {
        signal.throwIfAborted();
        const log = (message: string) => this.options.emit({ type: 'log', candidateId: id, message });
        return this.options.executor.run({ candidateId: id, code: source.code }, signal, log);
      });
    }
    // A failure caused by a stop is not a result: it is not recorded and runs again on resume.
    // A result that finished despite the stop is kept.
    if (signal.aborted && !result.ok) signal.throwIfAborted();
    const code = 'code' in source ? source.code : null;
    this.record(generation, index, id, proposal, code, result);
    const offspring: Offspring = {
      id,
      proposal,
      ...(code ? { code } : {}),
      result: result.ok
        ? { ok: true, fitness: result.fitness, descriptors: result.descriptors, metrics: result.metrics }
        : { ok: false, failure: result.failure },
    };
    return { offspring, reused: false, ...(result.ok && result.info ? { info: result.info } : {}) };
  }

  /** The extracted program of an LLM proposal, or why there is none. */
  private async reply(
    generation: number,
    id: string,
    proposal: Extract<Proposal, { kind: 'llm' }>,
    signal: AbortSignal,
  ): Promise<{ code: string } | { failure: Failure }> {
    const previous = this.options.store.replyFor(id);
    const text = previous?.reply ?? (await this.llmLimit(() => this.callLLM(generation, id, proposal, signal)));
    if (typeof text !== 'string') return { failure: text };
    const extracted = this.options.space.extract(text);
    return extracted.ok ? { code: extracted.code } : { failure: extracted.failure };
  }

  private async callLLM(
    generation: number,
    id: string,
    proposal: Extract<Proposal, { kind: 'llm' }>,
    signal: AbortSignal,
  ): Promise<string | Failure> {
    signal.throwIfAborted();
    const { llm, space, constrained, store } = this.options;
    if (!llm) throw new RunStopped('this strategy asked for an LLM call but the config has no `llm`', 'llm');
    const request = {
      ...proposal.request,
      temperature: proposal.temperature,
      // Servers that honour seeds then give the same reply to the same candidate of the same run.
      seed: Rng.derive(this.options.runSeed, 'llm-seed', id).int(0, 2 ** 31 - 1),
      ...(constrained && space.grammar ? { grammar: space.grammar } : {}),
    };
    const started = performance.now();
    const base = {
      candidateId: id,
      generation,
      promptId: proposal.promptId ?? null,
      provider: llm.name,
      request: { ...request, grammar: request.grammar ? '(space grammar)' : undefined },
      temperature: proposal.temperature,
      constrained: request.grammar !== undefined,
    };
    try {
      const result = await llm.generate({ ...request, signal });
      store.recordLLMCall({
        ...base,
        model: result.model || llm.model,
        constrained: result.constrained ?? base.constrained,
        reply: result.text,
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        latencyMs: performance.now() - started,
        error: null,
      });
      return result.text;
    } catch (error) {
      // Aborted or refused by the budget: no call reached the server, so none is recorded.
      if (signal.aborted || (error instanceof LLMError && error.kind === 'budget')) throw error;
      store.recordLLMCall({
        ...base,
        model: llm.model,
        reply: null,
        promptTokens: 0,
        completionTokens: 0,
        latencyMs: performance.now() - started,
        error: errorText(error),
      });
      if (error instanceof LLMError && error.fatal) throw error;
      return { reason: 'llm', message: errorText(error) };
    }
  }

  private record(
    generation: number,
    index: number,
    id: string,
    proposal: Proposal,
    code: string | null,
    result: JobResult,
  ): void {
    const { store, keepArtifacts } = this.options;
    // Artifacts first: a recorded candidate always has its weights on disk.
    if (result.ok && result.artifacts && keepArtifacts !== 'none') store.writeArtifacts(id, result.artifacts);
    store.recordCandidate({
      id,
      generation,
      index,
      operator: proposal.operator,
      parents: proposal.parents,
      promptId: proposal.kind === 'llm' ? (proposal.promptId ?? null) : null,
      temperature: proposal.kind === 'llm' ? proposal.temperature : null,
      code,
      ok: result.ok,
      failureReason: result.ok ? null : result.failure.reason,
      failureMessage: result.ok ? null : result.failure.message,
      fitness: result.ok ? result.fitness : null,
      descriptors: result.ok ? result.descriptors : null,
      metrics: result.ok ? result.metrics : null,
      info: result.ok ? (result.info ?? null) : null,
      status: null,
      evaluationMs: result.evaluationMs,
    });
  }
}
