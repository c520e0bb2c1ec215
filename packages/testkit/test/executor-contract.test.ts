import { describe, it } from 'vitest';
import { InProcessExecutor, type EvaluationJob, type Executor, type JobResult } from '@llmatic/core';
import { describeExecutorContract } from '../src/index.js';
import { executorChecks } from '../src/executor/checks.js';
import type { ExecutorContractOptions } from '../src/executor/options.js';
import { toyEvaluator, toySpace } from './fixtures/toy-space.js';
import { checkNamed, expectViolation } from './violation.js';

function toyExecutor(): Executor {
  const space = toySpace();
  return new InProcessExecutor({ space, evaluator: toyEvaluator({ delayMs: 5 }), descriptors: space.descriptors });
}

const good: ExecutorContractOptions = { create: toyExecutor, valid: ['width = 8', 'width = 16'], invalid: ['width = 0'], descriptors: 1 };

// The kernel's InProcessExecutor with the toy pipeline passes the whole suite.
describeExecutorContract('in-process (toy)', good);

/** The toy executor with `run` or `close` replaced. */
function broken(patch: (inner: Executor) => Partial<Executor>): ExecutorContractOptions {
  return {
    ...good,
    create: () => {
      const inner = toyExecutor();
      return { run: inner.run.bind(inner), close: inner.close.bind(inner), ...patch(inner) };
    },
  };
}
const run = (name: RegExp, options: ExecutorContractOptions) => checkNamed(executorChecks, name).run(options);

describe('the executor contract catches broken executors', () => {
  it('a run() that rejects on a failing job', async () => {
    const throwing = broken((inner) => ({
      run: async (job: EvaluationJob) => {
        const result = await inner.run(job);
        if (!result.ok) throw new Error(result.failure.message);
        return result;
      },
    }));
    await expectViolation(run(/invalid jobs/, throwing), /run\(\) rejected for invalid job #0/);
  });

  it('a malformed JobResult', async () => {
    const noTime = broken((inner) => ({ run: async (job: EvaluationJob) => ({ ...(await inner.run(job)), evaluationMs: -1 }) as JobResult }));
    await expectViolation(run(/valid jobs/, noTime), /malformed JobResult \(evaluationMs/);
  });

  it('results handed to the wrong job', async () => {
    let last: Promise<JobResult> | undefined;
    const mixedUp = broken((inner) => ({
      run: (job: EvaluationJob) => {
        // Answers each job with the result of the job before it.
        const previous = last;
        last = inner.run(job);
        return previous ?? last;
      },
    }));
    await expectViolation(run(/concurrent/, mixedUp), /differs from its program's own result/);
  });

  it('a close() that rejects', async () => {
    await expectViolation(run(/valid jobs/, broken(() => ({ close: () => Promise.reject(new Error('redis gone')) }))), /close\(\) rejected/);
  });

  it('an executor that hangs on an aborted job', async () => {
    const deaf = broken((inner) => ({ run: (job: EvaluationJob, signal?: AbortSignal) => (signal ? new Promise<JobResult>(() => undefined) : inner.run(job)) }));
    await expectViolation(run(/aborted jobs/, { ...deaf, abortWithinMs: 200 }), /did not settle within 200 ms/);
  });
});
