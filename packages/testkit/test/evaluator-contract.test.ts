import { describe, expect, it } from 'vitest';
import type { Evaluator } from '@llmatic/core';
import { describeEvaluatorContract } from '../src/index.js';
import { evaluatorChecks } from '../src/evaluator/checks.js';
import type { EvaluatorContractOptions } from '../src/evaluator/options.js';
import { toyEvaluator, type ToyModel } from './fixtures/toy-space.js';
import { checkNamed, expectViolation } from './violation.js';

const good: EvaluatorContractOptions<ToyModel> = {
  create: () => toyEvaluator({ delayMs: 5 }),
  valid: [{ width: 8 }, { width: 32 }],
  invalid: [{ width: 100 }],
  misconfigured: () => toyEvaluator({ dataReady: false }),
  deterministic: true,
};

// The correct toy evaluator passes the whole suite, registered as a plugin would.
describeEvaluatorContract('toy', good);

const run = (name: RegExp, options: EvaluatorContractOptions<ToyModel>) =>
  checkNamed(evaluatorChecks, name).run(options as EvaluatorContractOptions<unknown>);

/** The toy evaluator with one method replaced. */
const broken = (patch: Partial<Evaluator<ToyModel>>): EvaluatorContractOptions<ToyModel> => ({
  ...good,
  create: () => ({ ...toyEvaluator({ delayMs: 5 }), ...patch }),
});

describe('the evaluator contract catches broken evaluators', () => {
  it('an evaluator that throws on a model it cannot score', async () => {
    const throwing = broken({
      async evaluate(model) {
        if (model.width > 64) throw new Error('too wide');
        return { ok: true, fitness: 1, metrics: {} };
      },
    });
    await expectViolation(run(/typed failures/, throwing), /threw for invalid model #0.*return fail/);
  });

  it('an evaluator that crashes on a malformed model', async () => {
    const naive = broken({ evaluate: async (model) => ({ ok: true, fitness: model.width / 64, metrics: {} }) });
    await expectViolation(run(/typed failures/, { ...naive, invalid: [] }), /malformed model/);
  });

  it('a failure without a known reason', async () => {
    const untyped = broken({ evaluate: async () => ({ ok: false, failure: { reason: 'oops' as 'evaluation', message: 'x' } }) });
    await expectViolation(run(/typed failures/, untyped), /no known failure reason/);
  });

  it('a NaN fitness and a non-cloneable evaluation', async () => {
    await expectViolation(run(/valid models/, broken({ evaluate: async () => ({ ok: true, fitness: Number.NaN, metrics: {} }) })), /fitness is NaN/);
    const withFunction = broken({ evaluate: async () => ({ ok: true, fitness: 1, metrics: {}, info: { backend: (() => 'x') as unknown as string } }) });
    await expectViolation(run(/valid models/, withFunction), /not structured-cloneable/);
  });

  it('an evaluator that ignores abort and hangs', async () => {
    const deaf = broken({ evaluate: () => new Promise(() => undefined) });
    await expectViolation(run(/already-aborted/, { ...deaf, abortWithinMs: 200 }), /did not settle within 200 ms/);
    await expectViolation(run(/abort during/, { ...deaf, abortWithinMs: 200 }), /did not settle within 200 ms/);
  });

  it('an evaluator that rejects with some other error on abort', async () => {
    const wrong = broken({
      evaluate: (_model, context) => (context.signal?.aborted ? Promise.reject(new TypeError('boom')) : Promise.resolve({ ok: true, fitness: 1, metrics: {} })),
    });
    await expectViolation(run(/already-aborted/, wrong), /rejected with TypeError: boom/);
  });

  it('an evaluator whose concurrent calls share state', async () => {
    let shared = 0;
    const racy = broken({
      async evaluate(model) {
        shared = model.width;
        await new Promise((done) => setTimeout(done, 5));
        return { ok: true, fitness: shared, metrics: {} };
      },
    });
    await expectViolation(run(/concurrent/, { ...racy, concurrency: 4 }), /must not share mutable state/);
  });

  it('a check() that does not name the fix, or is missing', async () => {
    const vague: EvaluatorContractOptions<ToyModel> = {
      ...good,
      misconfigured: () => ({ ...toyEvaluator(), check: () => Promise.reject(new Error('dataset missing')) }),
    };
    await expectViolation(run(/check\(\)/, vague), /not how to fix it/);
    const silent: EvaluatorContractOptions<ToyModel> = { ...good, misconfigured: () => ({ ...toyEvaluator(), check: async () => undefined }) };
    await expectViolation(run(/check\(\)/, silent), /resolved on the `misconfigured` evaluator/);
    const { misconfigured: _, ...unproven } = good;
    await expectViolation(run(/check\(\)/, unproven), /no `misconfigured`/);
  });

  it('an evaluator without a name', async () => {
    await expectViolation(run(/valid models/, broken({ name: '' })), /has no `name`/);
  });

  it('a close() that rejects', async () => {
    await expectViolation(run(/valid models/, broken({ close: () => Promise.reject(new Error('busy')) })), /close\(\) rejected/);
  });

  it('bad options are refused with the field named', () => {
    expect(() => describeEvaluatorContract('bad', { ...good, valid: [] })).toThrow(/valid: give at least one model/);
  });
});
