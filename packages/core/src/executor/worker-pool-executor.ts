import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { EvaluationJob, Executor, JobResult } from './job.js';

export interface WorkerPoolOptions {
  /** The config file each worker loads to build its pipeline. */
  configPath: string;
  /** Worker threads (evaluations in parallel). */
  threads: number;
}

/**
 * Evaluates in a pool of worker threads (tinypool), each holding its own pipeline built from the
 * run's config file: for CPU-bound evaluators that do not isolate their own work. A crashed
 * worker fails only its candidate.
 */
export class WorkerPoolExecutor implements Executor {
  private readonly pool: Tinypool;

  constructor(options: WorkerPoolOptions) {
    // Built next to index.js by tsup (see tsup.config.ts).
    const entry = new URL('./worker-entry.js', import.meta.url);
    if (!existsSync(fileURLToPath(entry))) {
      throw new Error(`The worker pool needs the built @llmatic/core (missing ${fileURLToPath(entry)}): run \`npm run build\`.`);
    }
    this.pool = new Tinypool({
      filename: entry.href,
      minThreads: 1,
      maxThreads: options.threads,
      workerData: { configPath: options.configPath },
    });
  }

  async run(job: EvaluationJob, signal?: AbortSignal): Promise<JobResult> {
    const started = performance.now();
    try {
      return (await this.pool.run(job, signal ? { signal } : {})) as JobResult;
    } catch (error) {
      if (signal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, failure: { reason: 'crash', message: `worker died: ${message}` }, evaluationMs: performance.now() - started };
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
