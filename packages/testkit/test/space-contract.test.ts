import { describe, it } from 'vitest';
import { fail, type SearchSpace } from '@llmatic/core';
import { describeSpaceContract } from '../src/index.js';
import { spaceChecks } from '../src/space/checks.js';
import type { SpaceContractOptions } from '../src/space/options.js';
import { toySpace, type ToyModel } from './fixtures/toy-space.js';
import { checkNamed, expectViolation } from './violation.js';

// The correct toy space passes the whole suite, registered as a plugin would.
describeSpaceContract('toy', { space: toySpace, programs: ['width = 64'], invalidPrograms: ['width = 0', 'depth = 3'] });

const run = (name: RegExp, patch: (space: SearchSpace<ToyModel>) => SearchSpace<ToyModel>, extra: Partial<SpaceContractOptions<ToyModel>> = {}) =>
  checkNamed(spaceChecks, name).run({ space: () => patch(toySpace()), ...extra } as SpaceContractOptions<unknown>);

describe('the space contract catches broken spaces', () => {
  it('a language that differs from the compiler', async () => {
    await expectViolation(run(/language/, (s) => ({ ...s, language: 'other' })), /compiler.language is 'toy'/);
  });

  it('a seed that does not compile', async () => {
    await expectViolation(run(/seed extracts/, (s) => ({ ...s, seed: 'width = 99' })), /does not compile/);
  });

  it('an extractor that finds programs in prose', async () => {
    await expectViolation(run(/without a program/, (s) => ({ ...s, extract: (reply) => ({ ok: true, code: reply }) })), /found a program in a reply of plain prose/);
  });

  it('a compiler that throws', async () => {
    const throwing = (s: SearchSpace<ToyModel>): SearchSpace<ToyModel> => ({
      ...s,
      compiler: {
        language: 'toy',
        compile: async (code) => {
          if (!code.includes('width')) throw new SyntaxError('unexpected token');
          return s.compiler.compile(code);
        },
      },
    });
    await expectViolation(run(/invalid programs/, throwing), /compile\(\) threw/);
  });

  it('a descriptor out of its bounds', async () => {
    const narrow = (s: SearchSpace<ToyModel>): SearchSpace<ToyModel> => ({ ...s, descriptors: [{ name: 'width', bounds: [0, 4], compute: (m) => m.width }] });
    await expectViolation(run(/descriptors are finite and in bounds/, narrow), /descriptor width of the seed is 8, outside its bounds \[0, 4\]/);
  });

  it('a model that is not plain data', async () => {
    const withMethod = (s: SearchSpace<ToyModel>): SearchSpace<ToyModel> => ({
      ...s,
      compiler: { language: 'toy', compile: async (code) => {
        const compiled = await s.compiler.compile(code);
        return compiled.ok ? { ok: true, model: { width: compiled.model.width, flops: () => 1 } as ToyModel } : compiled;
      } },
    });
    await expectViolation(run(/cloneable/, withMethod), /not structured-cloneable/);
  });

  it('an operator that produces programs that do not compile', async () => {
    const wild = (s: SearchSpace<ToyModel>): SearchSpace<ToyModel> => ({ ...s, operators: { random: () => 'width = 1000', mutate: s.operators!.mutate } });
    await expectViolation(run(/cloneable/, wild), /operators.random sample #0 does not compile/);
  });

  it('operators that use Math.random', async () => {
    const unseeded = (s: SearchSpace<ToyModel>): SearchSpace<ToyModel> => ({
      ...s,
      operators: { random: () => `width = ${1 + Math.floor(Math.random() * 1e9) % 64}`, mutate: () => `width = ${1 + Math.floor(Math.random() * 1e9) % 64}` },
    });
    await expectViolation(run(/reproducible/, unseeded), /no Math.random/);
  });

  it('a failure without a known reason from extract', async () => {
    const odd = (s: SearchSpace<ToyModel>): SearchSpace<ToyModel> => ({ ...s, extract: () => fail('compile', 'no program') });
    await expectViolation(run(/without a program/, odd), /use 'extraction'/);
  });
});
