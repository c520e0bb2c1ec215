import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  randomSearch,
  regularizedEvolution,
  resolveConfig,
  Rng,
  Runner,
  RunStore,
  type Evaluator,
  type SpaceOperators,
} from '@llmatic/core';
import {
  checkGenome,
  formatGenome,
  MAX_GENOME_DEPTH,
  parseGenome,
  printGenomeProgram,
  readGenomeLine,
  SEED_PROGRAM,
  tfjsOperators,
  tfjsSpace,
  type GenomeLimits,
  type TfjsGene,
  type TfjsModelSpec,
} from '@llmatic/tfjs';

const SHAPES = { mnist: [28, 28, 1], cifar: [32, 32, 3] } as const;
const DEFAULT_CAPS = { maxParams: 20_000_000, maxFlops: 5e9, maxLayers: 300 };

function limitsOf(inputShape: readonly number[]): GenomeLimits {
  return { inputShape, numClasses: 10, ...DEFAULT_CAPS };
}

/** The genome a printed program carries on its genome line. */
function genomeOf(code: string): TfjsGene[] {
  const line = readGenomeLine(code);
  if (line === undefined) throw new Error(`no genome line in:\n${code}`);
  const parsed = parseGenome(line);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.genome;
}

/** Runs `task` over `items`, two at a time (the sandbox starts a Node process per compile). */
async function inPairs<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 2) results.push(...(await Promise.all(items.slice(i, i + 2).map(task))));
  return results;
}

/** 50 random programs and 50 mutants (chains of 5 edits from 10 random parents). */
function programs(operators: SpaceOperators, seed: number): { random: string[]; mutated: string[] } {
  const random = Array.from({ length: 50 }, (_, i) => operators.random(Rng.derive(seed, 'random', i)));
  const mutated: string[] = [];
  for (let chain = 0; chain < 10; chain++) {
    let code = random[chain] as string;
    for (let step = 0; step < 5; step++) {
      code = operators.mutate(code, Rng.derive(seed, 'mutate', chain, step));
      mutated.push(code);
    }
  }
  return { random, mutated };
}

/** How two genomes differ: one insertion, one deletion, one parameter, or something else. */
function editBetween(before: readonly TfjsGene[], after: readonly TfjsGene[]): string {
  const tokens = (genome: readonly TfjsGene[]) => genome.map((gene) => JSON.stringify(gene));
  const [a, b] = [tokens(before), tokens(after)];
  const removedOne = (long: string[], short: string[]) =>
    long.some((_, i) => JSON.stringify([...long.slice(0, i), ...long.slice(i + 1)]) === JSON.stringify(short));
  if (b.length === a.length + 1 && removedOne(b, a)) return 'insert';
  if (a.length === b.length + 1 && removedOne(a, b)) return 'delete';
  if (a.length !== b.length) return 'other';
  const differing = before.flatMap((gene, i) => (JSON.stringify(gene) === b[i] ? [] : [[gene, after[i] as TfjsGene] as const]));
  if (differing.length !== 1) return 'other';
  const [[x, y]] = differing as [readonly [TfjsGene, TfjsGene]];
  if (x.type !== y.type) return 'other';
  const keys = Object.keys(x).filter((key) => (x as Record<string, unknown>)[key] !== (y as Record<string, unknown>)[key]);
  return keys.length === 1 ? `change ${x.type}.${keys[0]}` : 'other';
}

describe('tfjs space operators', () => {
  for (const [data, inputShape] of Object.entries(SHAPES)) {
    it(`prints random and mutated programs that the sandboxed compiler accepts (${data} [${inputShape.join(', ')}])`, async () => {
      const space = tfjsSpace({ inputShape: [...inputShape], numClasses: 10 });
      const operators = space.operators as SpaceOperators;
      const { random, mutated } = programs(operators, data === 'mnist' ? 1 : 2);
      const all = [...random, ...mutated];
      const compiled = await inPairs(all, (code) => space.compiler.compile(code));
      const failures = compiled.flatMap((result, i) => (result.ok ? [] : [`${result.failure.message}\n${all[i]}`]));
      expect(failures).toEqual([]);
      // The genome's costs, counted on the trusted side, are the compiler's.
      for (const [i, result] of compiled.entries()) {
        const check = checkGenome(genomeOf(all[i] as string), limitsOf(inputShape));
        expect(check).toEqual({
          ok: true,
          params: result.ok && result.model.params,
          flops: result.ok && result.model.flops,
          layers: result.ok && result.model.layers.length - 1,
        });
      }
      // The mutants reach beyond the random draws' first layers, and all stay in the space.
      const depths = mutated.map((code) => genomeOf(code).filter((gene) => gene.type !== 'reduce').length);
      expect(Math.max(...depths)).toBeLessThanOrEqual(MAX_GENOME_DEPTH);
      expect(new Set(all).size).toBeGreaterThan(80);
    });
  }

  it('prints a readable buildModel program whose genome line round-trips', () => {
    const genome = genomeOf('// genome: conv16k3s1 maxpool bn flatten dense64 drop0.25');
    const code = printGenomeProgram(genome);
    expect(code).toBe(
      [
        '// genome: conv16k3s1 maxpool bn flatten dense64 drop0.25',
        'function buildModel(tf, { inputShape, numClasses }) {',
        '  const model = tf.sequential();',
        "  model.add(tf.layers.conv2d({ inputShape, filters: 16, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }));",
        '  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));',
        '  model.add(tf.layers.batchNormalization());',
        '  model.add(tf.layers.flatten());',
        "  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));",
        '  model.add(tf.layers.dropout({ rate: 0.25 }));',
        "  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));",
        '  return model;',
        '}',
        '',
      ].join('\n'),
    );
    const operators = tfjsOperators({ inputShape: [32, 32, 3], numClasses: 10 });
    for (let i = 0; i < 200; i++) {
      const printed = operators.random(Rng.derive(5, i));
      const parsed = genomeOf(printed);
      expect(printGenomeProgram(parsed)).toBe(printed);
      expect(`// genome: ${formatGenome(parsed)}`).toBe(printed.split('\n')[0]);
    }
  });

  it('draws genomes of 1 to 6 layers that fit the input shape, with every gene kind', () => {
    const operators = tfjsOperators({ inputShape: [28, 28, 1], numClasses: 10 });
    const genomes = Array.from({ length: 500 }, (_, i) => genomeOf(operators.random(Rng.derive(9, i))));
    const depths = new Set(genomes.map((genome) => genome.filter((gene) => gene.type !== 'reduce').length));
    expect([...depths].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const tokens = new Set(genomes.flatMap((genome) => formatGenome(genome).split(' ')).map((t) => t.replace(/[\d.]+/g, '')));
    expect([...tokens].sort()).toEqual(['avgpool', 'bn', 'convks', 'dense', 'drop', 'flatten', 'gap', 'maxpool']);
    for (const genome of genomes) expect(checkGenome(genome, limitsOf([28, 28, 1])).ok).toBe(true);
  });

  it('never halves an image below 1x1, however small the input', () => {
    const operators = tfjsOperators({ inputShape: [3, 3, 1], numClasses: 4 });
    const limits = { ...limitsOf([3, 3, 1]), numClasses: 4 };
    let halvings = 0;
    for (let i = 0; i < 300; i++) {
      let code = operators.random(Rng.derive(11, i));
      code = operators.mutate(code, Rng.derive(12, i));
      const genome = genomeOf(code);
      expect(checkGenome(genome, limits).ok).toBe(true);
      // Side length as tfjs computes it: 'same' stride-2 convolutions round up, 2x2 pools down.
      let side = 3;
      for (const gene of genome) {
        if (gene.type === 'reduce') break;
        if (gene.type === 'pool' || (gene.type === 'conv' && gene.stride === 2)) {
          expect(side, formatGenome(genome)).toBeGreaterThanOrEqual(2);
          side = gene.type === 'pool' ? Math.floor(side / 2) : Math.ceil(side / 2);
          halvings += 1;
        }
      }
    }
    expect(halvings).toBeGreaterThan(50);
  });

  it('mutates by exactly one insertion, deletion or parameter change, of every kind', () => {
    const operators = tfjsOperators({ inputShape: [32, 32, 3], numClasses: 10 });
    const seen = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const parent = operators.random(Rng.derive(21, 'parent', i));
      const child = operators.mutate(parent, Rng.derive(21, 'child', i));
      const edit = editBetween(genomeOf(parent), genomeOf(child));
      expect(edit, `${readGenomeLine(parent)} -> ${readGenomeLine(child)}`).not.toBe('other');
      seen.set(edit, (seen.get(edit) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([
      'change conv.filters',
      'change conv.kernel',
      'change conv.stride',
      'change dense.units',
      'change dropout.rate',
      'change pool.mode',
      'change reduce.mode',
      'delete',
      'insert',
    ]);
    // The kind is drawn first, uniformly among insert, delete and change.
    const changes = [...seen].filter(([edit]) => edit.startsWith('change')).reduce((sum, [, n]) => sum + n, 0);
    for (const count of [seen.get('insert') ?? 0, seen.get('delete') ?? 0, changes]) {
      expect(count).toBeGreaterThan(120);
    }
  });

  it('is deterministic: the same streams give the same programs, other streams others', () => {
    const operators = tfjsOperators({ inputShape: [28, 28, 1], numClasses: 10 });
    const run = (seed: number) => {
      const parent = operators.random(Rng.derive(seed, 'p'));
      return [parent, operators.mutate(parent, Rng.derive(seed, 'c'))];
    };
    expect(run(7)).toEqual(run(7));
    const others = new Set(Array.from({ length: 20 }, (_, seed) => run(seed).join('\n')));
    expect(others.size).toBeGreaterThan(15);
  });

  it('replaces a program without a genome line (the seed, LLM code) by a random one', () => {
    const operators = tfjsOperators({ inputShape: [28, 28, 1], numClasses: 10 });
    const replaced = operators.mutate(SEED_PROGRAM, Rng.derive(3, 'x'));
    expect(replaced).toBe(operators.random(Rng.derive(3, 'x')));
    expect(readGenomeLine(replaced)).toBeDefined();
  });

  it('refuses genome lines that are not genomes of this space, naming the problem', () => {
    const operators = tfjsOperators({ inputShape: [28, 28, 1], numClasses: 10 });
    const rng = Rng.fromSeed(1);
    expect(() => operators.mutate('// genome: conv16k7s1 flatten\n', rng)).toThrow(/'conv16k7s1' is not a gene.*conv<4\|8/);
    // 28 -> 14 -> 7 -> 3 -> 1: a fifth halving has nothing left to halve.
    expect(() => operators.mutate('// genome: maxpool maxpool maxpool maxpool maxpool gap\n', rng)).toThrow(
      /does not fit this space: gene 5 \(maxpool\) would halve a 1x1 image.*another inputShape/,
    );
    expect(() => operators.mutate('// genome: dense64 flatten\n', rng)).toThrow(/gene 1 \(dense64\) is on the wrong side/);
    expect(() => operators.mutate('// genome: conv8k3s1\n', rng)).toThrow(/0 reduce genes/);
  });

  it('keeps random and mutated genomes within the caps of the space, and says when none fit', async () => {
    const space = tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10, maxParams: 20_000 });
    const operators = space.operators as SpaceOperators;
    const limits = { ...limitsOf([28, 28, 1]), maxParams: 20_000 };
    const codes = Array.from({ length: 100 }, (_, i) => {
      const parent = operators.random(Rng.derive(31, i));
      return i % 2 === 0 ? parent : operators.mutate(parent, Rng.derive(32, i));
    });
    for (const code of codes) {
      const check = checkGenome(genomeOf(code), limits);
      expect(check.ok && check.params).toBeLessThanOrEqual(20_000);
    }
    const compiled = await inPairs(codes.slice(0, 6), (code) => space.compiler.compile(code));
    expect(compiled.every((result) => result.ok)).toBe(true);
    // The smallest network, one channel into the 10-way output layer, has 20 weights.
    const tiny = tfjsOperators({ inputShape: [28, 28, 1], numClasses: 10, maxParams: 15 });
    expect(() => tiny.random(Rng.fromSeed(1))).toThrow(/no random genome fitted the caps.*over maxParams \(15\).*raise maxParams/);
  });

  it('gives tfjsSpace the operators that randomSearch() and regularizedEvolution() require', () => {
    const space = tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10 });
    for (const strategy of [randomSearch(), regularizedEvolution({ population: 4, tournament: 2 })]) {
      expect(() => strategy.create({ seed: 1, space, descriptorBounds: [[0, 200], [0, 1e9]] })).not.toThrow();
    }
    expect(() => tfjsOperators({ inputShape: [784], numClasses: 10 })).toThrow(/\[height, width, channels\]/);
  });

  it('runs regularized evolution end to end with the real Runner', async () => {
    const evaluator: Evaluator<TfjsModelSpec> = {
      name: 'fewest-weights',
      async evaluate(model) {
        return { ok: true, fitness: -model.params / 1e6, metrics: { params: model.params } };
      },
    };
    const config = resolveConfig({
      space: tfjsSpace({ inputShape: [28, 28, 1], numClasses: 10, descriptorBounds: { flops: [1e3, 1e8] } }),
      evaluator,
      strategy: regularizedEvolution({ population: 4, tournament: 2 }),
      generations: 3,
      batchSize: 4,
    });
    const dir = join(mkdtempSync(join(tmpdir(), 'llmatic-tfjs-operators-')), 'run');
    const summary = await Runner.start(config, { dir }).execute();
    expect(summary.status).toBe('completed');
    expect(summary.evaluations).toBe(12);
    expect(summary.failures).toEqual({});
    const store = RunStore.open(dir, { readonly: true });
    const offspring = store.candidates().filter((candidate) => candidate.generation >= 0);
    store.close();
    expect(offspring).toHaveLength(12);
    expect(offspring.every((candidate) => candidate.ok && readGenomeLine(candidate.code ?? '') !== undefined)).toBe(true);
    // Generation 0 fills the population with random programs; later ones mutate tournament winners.
    expect(offspring.filter((c) => c.generation === 0).map((c) => c.operator)).toEqual(['random', 'random', 'random', 'random']);
    const edits = offspring.filter((c) => c.generation > 0);
    expect(edits.every((c) => c.operator === 'edit' && c.parents.length === 1)).toBe(true);
  });
});
