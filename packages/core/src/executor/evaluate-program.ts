import type { Descriptor } from '../descriptors/descriptor.js';
import type { Evaluator } from '../evaluation/evaluator.js';
import type { SearchSpace } from '../space/search-space.js';
import type { EvaluationJob, JobResult } from './job.js';

/** The trusted half of the pipeline: compile, evaluate, describe. */
export interface Pipeline<M> {
  space: SearchSpace<M>;
  evaluator: Evaluator<M>;
  descriptors: readonly Descriptor<M>[];
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Compiles, evaluates and describes one program. Never throws: a plugin that throws is recorded
 * as a `crash` of that candidate, so one bad candidate cannot stop a run.
 */
export async function evaluateProgram<M>(
  pipeline: Pipeline<M>,
  job: EvaluationJob,
  signal?: AbortSignal,
  log?: (message: string) => void,
): Promise<JobResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const compiled = await pipeline.space.compiler.compile(job.code, signal ? { signal } : {});
    if (!compiled.ok) return { ok: false, failure: compiled.failure, evaluationMs: elapsed() };
    const evaluation = await pipeline.evaluator.evaluate(compiled.model, {
      candidateId: job.candidateId,
      ...(signal ? { signal } : {}),
      ...(log ? { log } : {}),
    });
    if (!evaluation.ok) return { ok: false, failure: evaluation.failure, evaluationMs: elapsed() };
    const descriptors = pipeline.descriptors.map((d) => d.compute(compiled.model, evaluation.metrics));
    const bad = descriptors.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      const name = pipeline.descriptors[bad]?.name ?? String(bad);
      return {
        ok: false,
        failure: { reason: 'evaluation', message: `descriptor ${name} is not a finite number (${String(descriptors[bad])})` },
        evaluationMs: elapsed(),
      };
    }
    if (!Number.isFinite(evaluation.fitness)) {
      return {
        ok: false,
        failure: { reason: 'evaluation', message: `fitness is not a finite number (${evaluation.fitness})` },
        evaluationMs: elapsed(),
      };
    }
    return {
      ok: true,
      fitness: evaluation.fitness,
      descriptors,
      metrics: evaluation.metrics,
      ...(evaluation.info ? { info: evaluation.info } : {}),
      ...(evaluation.artifacts ? { artifacts: evaluation.artifacts } : {}),
      evaluationMs: elapsed(),
    };
  } catch (error) {
    return { ok: false, failure: { reason: 'crash', message: errorText(error) }, evaluationMs: elapsed() };
  }
}
