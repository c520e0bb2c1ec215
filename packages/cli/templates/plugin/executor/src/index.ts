import { evaluateProgram, type EvaluationJob, type Executor, type JobResult, type Pipeline } from '@llmatic/core';
import { z } from 'zod';

export interface {{Factory}}Options<M> {
  /** What jobs are evaluated with: the config's space, evaluator and descriptors. */
  pipeline: Pipeline<M>;
  /** A job that takes longer is aborted and recorded as a `timeout` failure. */
  timeoutMs: number;
}

const timeoutSchema = z.number().int().positive();

/**
 * Evaluates each job in this process, like the built-in `'in-process'` executor, but gives up on
 * one that runs past `timeoutMs` (its evaluation is aborted and the candidate recorded as a
 * `timeout`), so a slow candidate cannot hold a run up.
 */
export function {{factory}}<M>(options: {{Factory}}Options<M>): Executor {
  const timeout = timeoutSchema.safeParse(options.timeoutMs);
  if (!timeout.success) throw new TypeError(`{{factory}}(): timeoutMs must be a positive integer (milliseconds), got ${String(options.timeoutMs)}.`);
  const { pipeline } = options;
  const timeoutMs = timeout.data;

  async function run(job: EvaluationJob, signal?: AbortSignal, log?: (message: string) => void): Promise<JobResult> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<JobResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`over ${timeoutMs} ms`));
        const message = `evaluation took longer than ${timeoutMs} ms (timeoutMs)`;
        resolve({ ok: false, failure: { reason: 'timeout', message }, evaluationMs: performance.now() - started });
      }, timeoutMs);
    });
    try {
      return await Promise.race([evaluateProgram(pipeline, job, controller.signal, log), timedOut]);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return { run, close: async () => pipeline.evaluator.close?.() };
}
