import type { EvaluateContext, Evaluation, Evaluator, Result } from '@llmatic/core';
import type { ContractCheck } from '../check.js';
import { ContractViolation, describeError, expectContract } from '../contract-violation.js';
import { expectCloneable, expectFiniteMetrics, expectNamesTheFix, expectTypedFailure } from '../plain-data.js';
import { pause, settleWithin, type Settled } from '../settle.js';
import type { EvaluatorContractOptions } from './options.js';

type Options = EvaluatorContractOptions<unknown>;

const DEFAULT_ABORT_WITHIN_MS = 30_000;
/** Models of the wrong shape: they reach evaluators from other processes, so they must not crash them. */
const MALFORMED_MODELS: readonly unknown[] = [{}, null];

/** Runs `body` with a fresh evaluator and closes it; a `close()` that rejects breaks the contract. */
async function withEvaluator(options: Options, body: (evaluator: Evaluator<unknown>) => Promise<void>): Promise<void> {
  const evaluator = await options.create();
  let failed = false;
  try {
    await body(evaluator);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    const closing = evaluator.close?.().catch((error: unknown) => {
      if (!failed) throw new ContractViolation(`close() rejected (${describeError(error)}); close() must release resources and resolve`);
    });
    await closing;
  }
}

/** `evaluate` must resolve: a throw or a rejection breaks the contract. */
async function evaluateOrViolate(evaluator: Evaluator<unknown>, model: unknown, context: EvaluateContext, what: string): Promise<Result<Evaluation>> {
  try {
    return await evaluator.evaluate(model, context);
  } catch (error) {
    throw new ContractViolation(
      `evaluate() threw for ${what} (${describeError(error)}); return fail(reason, message) instead, so one bad candidate is recorded, not crashed`,
    );
  }
}

function expectSuccess(result: Result<Evaluation>, what: string): Evaluation {
  if (!result.ok) {
    throw new ContractViolation(`${what} failed (${result.failure.reason}: ${result.failure.message}); the options' \`valid\` models must evaluate successfully`);
  }
  expectContract(typeof result.fitness === 'number' && Number.isFinite(result.fitness), `${what}: fitness is ${String(result.fitness)}; it must be a finite number`);
  expectFiniteMetrics(result.metrics, what);
  expectCloneable(result, `the evaluation of ${what}`);
  return result;
}

const context = (candidateId: string, signal?: AbortSignal): EvaluateContext => ({ candidateId, ...(signal ? { signal } : {}) });

async function validModelsEvaluate(options: Options): Promise<void> {
  await withEvaluator(options, async (evaluator) => {
    expectContract(typeof evaluator.name === 'string' && evaluator.name.length > 0, 'the evaluator has no `name`; name it (run summaries and reports show it)');
    for (const [i, model] of options.valid.entries()) {
      expectSuccess(await evaluateOrViolate(evaluator, model, context(`valid-${i}`), `valid model #${i}`), `valid model #${i}`);
    }
  });
}

async function badModelsFailTyped(options: Options): Promise<void> {
  const cases = [
    ...(options.invalid ?? []).map((model, i) => ({ model, what: `invalid model #${i}` })),
    ...MALFORMED_MODELS.map((model) => ({ model, what: `the malformed model ${JSON.stringify(model)}` })),
  ];
  await withEvaluator(options, async (evaluator) => {
    for (const [i, { model, what }] of cases.entries()) {
      const result = await evaluateOrViolate(evaluator, model, context(`invalid-${i}`), what);
      expectContract(!result.ok, `${what} evaluated successfully; validate the model and return fail('evaluation', ...) for models you cannot score`);
      expectTypedFailure(result.failure, `the failure of ${what}`);
      expectCloneable(result, `the failure of ${what}`);
    }
  });
}

/** An aborted evaluation resolves (to a result) or rejects with the signal's reason. */
function expectAbortHonoured(outcome: Settled<Result<Evaluation>>, reason: unknown, what: string): void {
  if (outcome.status === 'rejected') {
    const isAbort = outcome.reason === reason || (outcome.reason instanceof Error && outcome.reason.name === 'AbortError');
    expectContract(isAbort, `${what} rejected with ${describeError(outcome.reason)}; on abort, reject with signal.reason or return a typed failure`);
    return;
  }
  const result = outcome.value;
  if (!result.ok) expectTypedFailure(result.failure, `the failure of ${what}`);
}

async function preAbortedSettles(options: Options): Promise<void> {
  const within = options.abortWithinMs ?? DEFAULT_ABORT_WITHIN_MS;
  await withEvaluator(options, async (evaluator) => {
    const controller = new AbortController();
    const reason = new Error('@llmatic/testkit: aborted before the evaluation');
    controller.abort(reason);
    const what = 'an evaluation with an already-aborted signal';
    const outcome = await settleWithin(evaluator.evaluate(options.valid[0], context('pre-aborted', controller.signal)), within, what);
    expectAbortHonoured(outcome, reason, what);
  });
}

async function abortDuringEvaluationSettles(options: Options): Promise<void> {
  const within = options.abortWithinMs ?? DEFAULT_ABORT_WITHIN_MS;
  await withEvaluator(options, async (evaluator) => {
    const controller = new AbortController();
    const reason = new Error('@llmatic/testkit: aborted during the evaluation');
    const what = 'an evaluation aborted while it runs';
    const running = evaluator.evaluate(options.valid[0], context('aborted', controller.signal));
    await pause(50);
    controller.abort(reason);
    expectAbortHonoured(await settleWithin(running, within, what), reason, what);
  });
}

async function concurrentEvaluationsSucceed(options: Options): Promise<void> {
  const count = options.concurrency ?? 3;
  const models = Array.from({ length: count }, (_, i) => options.valid[i % options.valid.length]);
  await withEvaluator(options, async (evaluator) => {
    const sequential: number[] = [];
    if (options.deterministic) {
      for (const [i, model] of options.valid.entries()) sequential.push(expectSuccess(await evaluator.evaluate(model, context(`seq-${i}`)), `valid model #${i}`).fitness);
    }
    const results = await Promise.all(models.map((model, i) => evaluateOrViolate(evaluator, model, context(`concurrent-${i}`), `concurrent evaluation #${i}`)));
    for (const [i, result] of results.entries()) {
      const evaluation = expectSuccess(result, `concurrent evaluation #${i}`);
      if (!options.deterministic) continue;
      const expected = sequential[i % options.valid.length];
      expectContract(
        evaluation.fitness === expected,
        `concurrent evaluation #${i} gave fitness ${evaluation.fitness}, alone it gave ${String(expected)}; evaluations must not share mutable state`,
      );
    }
  });
}

async function checkNamesTheFix(options: Options): Promise<void> {
  const evaluator = await options.create();
  try {
    if (evaluator.check) {
      await evaluator.check().catch((error: unknown) => {
        throw new ContractViolation(`check() rejected on the evaluator from create() (${describeError(error)}); set up \`create\` so that it passes`);
      });
      expectContract(options.misconfigured, 'the evaluator has check() but the options give no `misconfigured`; add one (e.g. pointed at a missing dataset) so the kit can prove check() names the fix');
    }
  } finally {
    await evaluator.close?.();
  }
  if (!options.misconfigured) return;
  const broken = await options.misconfigured();
  try {
    expectContract(broken.check, 'the `misconfigured` evaluator has no check(); add check() so a missing dataset stops a run before it starts');
    const error = await broken.check().then(
      () => undefined,
      (e: unknown) => e,
    );
    expectContract(error !== undefined, 'check() resolved on the `misconfigured` evaluator; it must reject when the evaluator cannot work');
    expectContract(error instanceof Error, `check() rejected with a non-Error (${String(error)}); reject with an Error whose message names the fix`);
    expectNamesTheFix(error.message, 'the check() error');
  } finally {
    await broken.close?.();
  }
}

/** The evaluator contract, check by check. */
export const evaluatorChecks: readonly ContractCheck<Options>[] = [
  { name: 'valid models evaluate to a finite fitness and finite, cloneable metrics; the evaluator has a name', run: validModelsEvaluate },
  { name: 'invalid and malformed models give typed failures and never throw', run: badModelsFailTyped },
  { name: 'an already-aborted signal settles', run: preAbortedSettles },
  { name: 'an abort during evaluation settles', run: abortDuringEvaluationSettles },
  { name: 'concurrent evaluations all succeed', run: concurrentEvaluationsSucceed },
  { name: 'check() passes when set up and names the fix when not; close() resolves', run: checkNamesTheFix },
];
