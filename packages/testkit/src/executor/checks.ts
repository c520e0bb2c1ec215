import type { EvaluationJob, Executor, JobResult } from '@llmatic/core';
import type { ContractCheck } from '../check.js';
import { ContractViolation, describeError, expectContract } from '../contract-violation.js';
import { expectCloneable } from '../plain-data.js';
import { pause, settleWithin } from '../settle.js';
import { jobResultSchema } from './job-result-schema.js';
import type { ExecutorContractOptions } from './options.js';

const DEFAULT_ABORT_WITHIN_MS = 30_000;

/** Runs `body` with a fresh executor, then closes it; a `close()` that rejects breaks the contract. */
async function withExecutor(options: ExecutorContractOptions, body: (executor: Executor) => Promise<void>): Promise<void> {
  const executor = await options.create();
  let failed = false;
  try {
    await body(executor);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await executor.close().catch((error: unknown) => {
      if (!failed) throw new ContractViolation(`close() rejected (${describeError(error)}); close() must stop work, free connections and resolve`);
    });
  }
}

/** `run` must resolve to a well-formed, cloneable JobResult. */
async function runOrViolate(executor: Executor, job: EvaluationJob, what: string, signal?: AbortSignal): Promise<JobResult> {
  let result: unknown;
  try {
    result = await executor.run(job, signal);
  } catch (error) {
    throw new ContractViolation(`run() rejected for ${what} (${describeError(error)}); resolve with { ok: false, failure } instead`);
  }
  return expectJobResult(result, what);
}

function expectJobResult(result: unknown, what: string): JobResult {
  const parsed = jobResultSchema.safeParse(result);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(result)'}: ${issue.message}`).join('; ');
    throw new ContractViolation(`${what} gave a malformed JobResult (${problems}); return what evaluateProgram() from @llmatic/core returns`);
  }
  expectCloneable(result, `the JobResult of ${what}`);
  return result as JobResult;
}

function expectOk(result: JobResult, options: ExecutorContractOptions, what: string): void {
  if (!result.ok) throw new ContractViolation(`${what} failed (${result.failure.reason}: ${result.failure.message}); the options' \`valid\` programs must evaluate successfully`);
  if (options.descriptors !== undefined) {
    expectContract(result.descriptors.length === options.descriptors, `${what} has ${result.descriptors.length} descriptors; expected ${options.descriptors}`);
  }
}

const job = (candidateId: string, code: string): EvaluationJob => ({ candidateId, code });

async function validJobsSucceed(options: ExecutorContractOptions): Promise<void> {
  await withExecutor(options, async (executor) => {
    for (const [i, code] of options.valid.entries()) expectOk(await runOrViolate(executor, job(`valid-${i}`, code), `valid job #${i}`), options, `valid job #${i}`);
  });
}

async function invalidJobsFailTyped(options: ExecutorContractOptions): Promise<void> {
  await withExecutor(options, async (executor) => {
    for (const [i, code] of options.invalid.entries()) {
      const result = await runOrViolate(executor, job(`invalid-${i}`, code), `invalid job #${i}`);
      expectContract(!result.ok, `invalid job #${i} succeeded; the options' \`invalid\` programs must fail`);
    }
  });
}

/** Concurrent jobs of different programs: each result must belong to its own job. */
async function concurrentJobsGetTheirOwnResults(options: ExecutorContractOptions): Promise<void> {
  const count = options.concurrency ?? 3;
  const programs = [...options.valid, ...options.invalid];
  await withExecutor(options, async (executor) => {
    const alone: JobResult[] = [];
    for (const [i, code] of programs.entries()) alone.push(await runOrViolate(executor, job(`alone-${i}`, code), `job #${i}`));
    const jobs = Array.from({ length: Math.max(count, programs.length) }, (_, i) => i % programs.length);
    const together = await Promise.all(jobs.map((p, i) => runOrViolate(executor, job(`together-${i}`, programs[p]!), `concurrent job #${i}`)));
    for (const [i, result] of together.entries()) {
      const expected = alone[jobs[i]!]!;
      const same = result.ok && expected.ok ? result.fitness === expected.fitness : result.ok === expected.ok;
      expectContract(same, `concurrent job #${i} got a result that differs from its program's own result; match results to their jobs`);
    }
  });
}

async function abortedJobsSettle(options: ExecutorContractOptions): Promise<void> {
  const within = options.abortWithinMs ?? DEFAULT_ABORT_WITHIN_MS;
  await withExecutor(options, async (executor) => {
    const before = new AbortController();
    before.abort(new Error('@llmatic/testkit: aborted before the job'));
    const what = 'a job with an already-aborted signal';
    const early = await settleWithin(executor.run(job('pre-aborted', options.valid[0]!), before.signal), within, what);
    if (early.status === 'resolved') expectJobResult(early.value, what);

    const during = new AbortController();
    const running = executor.run(job('aborted', options.valid[0]!), during.signal);
    await pause(50);
    during.abort(new Error('@llmatic/testkit: aborted during the job'));
    const late = await settleWithin(running, within, 'a job aborted while it runs');
    if (late.status === 'resolved') expectJobResult(late.value, 'a job aborted while it runs');
    // The executor still serves jobs after an abort.
    expectOk(await runOrViolate(executor, job('after-abort', options.valid[0]!), 'a job after an aborted one'), options, 'a job after an aborted one');
  });
}

/** The executor contract, check by check. */
export const executorChecks: readonly ContractCheck<ExecutorContractOptions>[] = [
  { name: 'valid jobs give well-formed, cloneable JobResults; close() resolves', run: validJobsSucceed },
  { name: 'invalid jobs give typed failures', run: invalidJobsFailTyped },
  { name: 'concurrent jobs each get their own result', run: concurrentJobsGetTheirOwnResults },
  { name: 'aborted jobs settle and the executor keeps serving', run: abortedJobsSettle },
];
