import { evaluateProgram, type Pipeline } from './evaluate-program.js';
import type { EvaluationJob, Executor, JobResult } from './job.js';

/**
 * Evaluates in this process. Right for oracles and for evaluators that isolate their own work
 * (the tfjs trainer trains in child processes); the loop bounds concurrency.
 */
export class InProcessExecutor<M> implements Executor {
  constructor(private readonly pipeline: Pipeline<M>) {}

  run(job: EvaluationJob, signal?: AbortSignal, log?: (message: string) => void): Promise<JobResult> {
    return evaluateProgram(this.pipeline, job, signal, log);
  }

  async close(): Promise<void> {
    await this.pipeline.evaluator.close?.();
  }
}
