/**
 * Entry of a worker thread of {@link WorkerPoolExecutor}: loads the run's config file once and
 * evaluates jobs with the same trusted pipeline as the in-process executor.
 */
import Tinypool from 'tinypool';
import { loadConfigFile } from '../config/load-config.js';
import { resolveConfig } from '../config/define-config.js';
import { evaluateProgram, type Pipeline } from './evaluate-program.js';
import type { EvaluationJob, JobResult } from './job.js';

let pipeline: Promise<Pipeline<unknown>> | undefined;

async function loadPipeline(): Promise<Pipeline<unknown>> {
  const { configPath } = Tinypool.workerData as { configPath: string };
  const config = resolveConfig(await loadConfigFile(configPath), configPath);
  await config.evaluator.check?.();
  return { space: config.space, evaluator: config.evaluator, descriptors: config.descriptors };
}

export default async function evaluate(job: EvaluationJob): Promise<JobResult> {
  pipeline ??= loadPipeline();
  return evaluateProgram(await pipeline, job);
}
