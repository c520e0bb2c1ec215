// Issue 9, class 2: the trusted validator reads untrusted JSON. Whatever it holds (class names
// like `constructor` or `__proto__`, keys of Object.prototype, absurd numbers), the validator
// returns a result, and it is a judgement of the topology, not a fault of the validator.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_PROGRAM, tfjsCompiler, validateTopology, type TfjsModelTopology } from '@llmatic/tfjs';
import { PROGRAMS, sourceOf } from './programs.js';

const limits = { inputShape: [32, 32, 3], numClasses: 10, maxParams: 1e6, maxFlops: 1e9, maxLayers: 50 };
export const FUZZ_RUNS = { arbitraryJson: 2_000, mutatedTopologies: 2_000 };

const HOSTILE_STRINGS = [
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  'prototype',
  'a/../../x',
  '',
  'InputLayer',
  'Model',
  'Dense',
];

/** Checks one input: a result, and never the validator's own fault. */
function judge(input: unknown): void {
  const result = validateTopology(input, limits);
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(result.failure.message).not.toMatch(/could not be checked/);
    expect(['compile', 'resource-cap', 'output-shape']).toContain(result.failure.reason);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const here: Path[] = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((item, i) => pathsOf(item, [...prefix, i])));
  if (value !== null && typeof value === 'object') {
    return here.concat(...Object.keys(value).map((key) => pathsOf(value[key] as Json, [...prefix, key])));
  }
  return here;
}

/** Sets an own property, even for `__proto__` (plain assignment would change the prototype instead). */
function put(target: Json[] | { [key: string]: Json }, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation = { at: number; kind: 'replace' | 'delete' | 'rename' | 'add'; key: string; value: Json };

function mutate(original: Json, mutations: Mutation[]): Json {
  let root = structuredClone(original);
  for (const mutation of mutations) {
    const paths = pathsOf(root);
    const path = paths[mutation.at % paths.length] as Path;
    if (path.length === 0) {
      root = mutation.value;
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, root) as Record<string, Json>;
    const key = path.at(-1) as string | number;
    if (mutation.kind === 'replace') put(parent, key, mutation.value);
    else if (mutation.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    }
    else if (mutation.kind === 'rename' && !Array.isArray(parent)) {
      const value = parent[key] as Json;
      delete parent[key];
      put(parent, mutation.key, value);
    } else if (!Array.isArray(parent)) put(parent, mutation.key, mutation.value);
  }
  // What the sandbox sends is JSON text: `__proto__` keys arrive as own properties.
  return JSON.parse(JSON.stringify(root)) as Json;
}

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const hostileNumber = fc.constantFrom(2 ** 53 - 1, 2 ** 31, 1e308, -1, 0, 0.5, -0);
const replacement: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
);
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'rename', 'add'),
  key: fc.oneof(hostileString, fc.string({ maxLength: 8 })),
  value: replacement,
});

let topologies: Json[] = [];

beforeAll(async () => {
  const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10 });
  const sources = [SEED_PROGRAM, ...['convStack', 'residual', 'inception', 'mobile'].map((name) => sourceOf(PROGRAMS[name]!))];
  const results = await Promise.all(sources.map((source) => compiler.compile(source)));
  topologies = results.map((result) => {
    if (!result.ok) throw new Error(result.failure.message);
    return result.model.topology as unknown as Json;
  });
});

describe('validateTopology on untrusted JSON', () => {
  it.each(['constructor', '__proto__', 'hasOwnProperty', 'toString'])('refuses class_name %s with a result', (className) => {
    const forged = structuredClone(topologies[0]) as unknown as TfjsModelTopology;
    forged.config.layers[2]!.class_name = className;
    const result = validateTopology(JSON.parse(JSON.stringify(forged)), limits);
    expect(result).toMatchObject({
      ok: false,
      failure: { reason: 'compile', message: expect.stringMatching(new RegExp(`class ${className}, which this search space does not support`)) },
    });
  });

  it('passes on nothing it did not check: an own __proto__ key in a config is not in the topology it returns', () => {
    const text = JSON.stringify(topologies[0]).replace('"trainable":true', '"__proto__":{"filters":99},"trainable":true');
    expect(text).toContain('__proto__');
    const result = validateTopology(JSON.parse(text), limits);
    if (!result.ok) throw new Error(result.failure.message);
    expect(JSON.stringify(result.model.topology)).not.toContain('__proto__');
    expect(result.model.params).toBe(10_254);
  });

  it(`returns a result for arbitrary JSON (${FUZZ_RUNS.arbitraryJson} inputs)`, () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (text) => judge(JSON.parse(text))),
      { numRuns: FUZZ_RUNS.arbitraryJson, seed: 9 },
    );
  });

  it(`returns a result for mutated real topologies (${FUZZ_RUNS.mutatedTopologies} inputs)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) => {
        const input = mutate(topologies[which % topologies.length] as Json, mutations);
        judge(input);
        if (validateTopology(input, limits).ok) accepted += 1;
      }),
      { numRuns: FUZZ_RUNS.mutatedTopologies, seed: 9 },
    );
    // The mutations are not all fatal: some topologies survive them, so the checks above saw both outcomes.
    expect(accepted).toBeGreaterThan(0);
  });
});
