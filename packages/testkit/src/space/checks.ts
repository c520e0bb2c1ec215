import { Rng, type SearchSpace } from '@llmatic/core';
import type { ContractCheck } from '../check.js';
import { ContractViolation, describeError, expectContract } from '../contract-violation.js';
import { expectCloneable, expectTypedFailure } from '../plain-data.js';
import type { SpaceContractOptions } from './options.js';

type Options = SpaceContractOptions<unknown>;

const DEFAULT_INVALID_PROGRAMS = ['I am sorry, but I cannot write that network.'];
const DEFAULT_SAMPLES = 5;

async function spaceOf(options: Options): Promise<SearchSpace<unknown>> {
  return typeof options.space === 'function' ? await options.space() : options.space;
}

/** A reply the way code models write them: prose around a fenced block. */
const replyAround = (code: string) => `Here is the updated network:\n\n\`\`\`\n${code}\n\`\`\`\n\nIt should train well.`;

async function compileOrViolate(space: SearchSpace<unknown>, code: string, what: string): Promise<unknown> {
  let compiled;
  try {
    compiled = await space.compiler.compile(code);
  } catch (error) {
    throw new ContractViolation(`compile() threw for ${what} (${describeError(error)}); return fail('compile', message) instead of throwing`);
  }
  if (!compiled.ok) throw new ContractViolation(`${what} does not compile (${compiled.failure.reason}: ${compiled.failure.message}):\n${code}`);
  return compiled.model;
}

function expectDescribable(space: SearchSpace<unknown>, model: unknown, options: Options, what: string): void {
  for (const descriptor of space.descriptors) {
    let value: number;
    try {
      value = descriptor.compute(model, options.metrics ?? {});
    } catch (error) {
      throw new ContractViolation(`descriptor ${descriptor.name} threw for ${what} (${describeError(error)}); it must compute a number for every compiled model`);
    }
    const [low, high] = descriptor.bounds;
    expectContract(Number.isFinite(value), `descriptor ${descriptor.name} of ${what} is ${value}; it must be a finite number`);
    expectContract(
      value >= low && value <= high,
      `descriptor ${descriptor.name} of ${what} is ${value}, outside its bounds [${low}, ${high}]; widen the bounds so the archive does not clip it`,
    );
  }
}

/** Every program the space itself can produce: the seed, the options' programs, operator samples. */
function programsOf(space: SearchSpace<unknown>, options: Options): { code: string; what: string }[] {
  const programs = [{ code: space.seed, what: 'the seed' }, ...(options.programs ?? []).map((code, i) => ({ code, what: `program #${i}` }))];
  const samples = options.samples ?? DEFAULT_SAMPLES;
  if (space.operators) {
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < samples; i++) {
      programs.push({ code: space.operators.random(rng), what: `operators.random sample #${i}` });
      programs.push({ code: space.operators.mutate(space.seed, rng), what: `operators.mutate(seed) sample #${i}` });
    }
  }
  return programs;
}

async function identity(options: Options): Promise<void> {
  const space = await spaceOf(options);
  expectContract(typeof space.name === 'string' && space.name.length > 0, 'the space has no `name`; name it after the plugin');
  expectContract(space.language === space.compiler.language, `space.language is '${space.language}' but compiler.language is '${space.compiler.language}'; they must be the same`);
  const { prompts } = space;
  for (const [field, text] of [
    ['system', prompts.system],
    ['mutation.chat', prompts.mutation.chat],
    ['mutation.completion', prompts.mutation.completion],
    ['crossover.chat', prompts.crossover.chat],
    ['crossover.completion', prompts.crossover.completion],
  ] as const) {
    expectContract(typeof text === 'string' && text.trim().length > 0, `prompts.${field} is empty; the LLM needs it to write programs of this space`);
  }
  expectContract(prompts.mutation.chat.includes('{{code}}'), 'prompts.mutation.chat has no {{code}} placeholder; the LLM must see the parent program');
  expectContract(prompts.mutations.length > 0, 'prompts.mutations is empty; give the mutation instructions (DEFAULT_MUTATIONS from @llmatic/core)');
}

async function seedExtractsAndCompiles(options: Options): Promise<void> {
  const space = await spaceOf(options);
  const extracted = space.extract(replyAround(space.seed));
  if (!extracted.ok) throw new ContractViolation(`the seed in a fenced reply does not extract (${extracted.failure.message}); extract() must find fenced programs`);
  await compileOrViolate(space, extracted.code, 'the seed, extracted from a reply');
}

async function proseFailsExtraction(options: Options): Promise<void> {
  const space = await spaceOf(options);
  const extracted = space.extract('I cannot help with that request.');
  expectContract(!extracted.ok, 'extract() found a program in a reply of plain prose; return fail(\'extraction\', ...) when there is no program');
  expectTypedFailure(extracted.failure, 'the extraction failure');
  expectContract(extracted.failure.reason === 'extraction', `extract() failed with reason '${extracted.failure.reason}'; use 'extraction'`);
}

async function invalidProgramsFailTyped(options: Options): Promise<void> {
  const space = await spaceOf(options);
  for (const [i, code] of (options.invalidPrograms ?? DEFAULT_INVALID_PROGRAMS).entries()) {
    let compiled;
    try {
      compiled = await space.compiler.compile(code);
    } catch (error) {
      throw new ContractViolation(`compile() threw for invalid program #${i} (${describeError(error)}); return fail('compile', message) instead`);
    }
    expectContract(!compiled.ok, `invalid program #${i} compiled; the compiler must reject it:\n${code}`);
    expectTypedFailure(compiled.failure, `the failure of invalid program #${i}`);
  }
}

async function modelsAreDescribableAndCloneable(options: Options): Promise<void> {
  const space = await spaceOf(options);
  expectContract(space.descriptors.length > 0, 'the space has no descriptors; give at least one (the network archive needs axes)');
  for (const descriptor of space.descriptors) {
    const [low, high] = descriptor.bounds;
    expectContract(Number.isFinite(low) && Number.isFinite(high) && low < high, `descriptor ${descriptor.name} has bounds [${low}, ${high}]; they must be finite with low < high`);
  }
  for (const { code, what } of programsOf(space, options)) {
    const model = await compileOrViolate(space, code, what);
    expectCloneable(model, `the model of ${what}`);
    expectDescribable(space, model, options, what);
    expectDescribable(space, structuredClone(model), options, `a structured clone of ${what}`);
  }
}

async function operatorsAreReproducible(options: Options): Promise<void> {
  const space = await spaceOf(options);
  if (!space.operators) return;
  const draw = () => {
    const rng = Rng.fromSeed(42);
    return [space.operators!.random(rng), space.operators!.mutate(space.seed, rng)];
  };
  const [first, second] = [draw(), draw()];
  expectContract(
    first[0] === second[0] && first[1] === second[1],
    'operators.random / operators.mutate gave different programs from the same Rng seed; draw all randomness from the rng argument (no Math.random)',
  );
}

/** The search space contract, check by check. */
export const spaceChecks: readonly ContractCheck<Options>[] = [
  { name: 'name, language and prompt templates are complete', run: identity },
  { name: 'the seed extracts from an LLM-style reply and compiles', run: seedExtractsAndCompiles },
  { name: 'a reply without a program fails extraction', run: proseFailsExtraction },
  { name: 'invalid programs fail compilation with a typed failure', run: invalidProgramsFailTyped },
  { name: 'models (seed, programs, operator samples) compile, are cloneable, and their descriptors are finite and in bounds', run: modelsAreDescribableAndCloneable },
  { name: 'operators are reproducible from the same Rng seed', run: operatorsAreReproducible },
];
