import { describe, expect, it } from 'vitest';
import { DEFAULT_MUTATIONS, Rng } from '@llmatic/core';
import {
  CELL_GRAMMAR,
  CELL_MUTATIONS,
  SEED_CELL,
  cellFlops,
  effectiveDepth,
  extractCell,
  flopsRange,
  cellFromOps,
  formatArch,
  nasBench201,
  nasBench201Compiler,
  nasBench201Space,
  parseCell,
  printCell,
  skipCount,
  type NasBench201Cell,
  type Nb201Op,
} from '@llmatic/nasbench201';
import { allOps, C1, C3, N, P, S } from './helpers/tables.js';

const cell = (ops: Nb201Op[]): NasBench201Cell => cellFromOps(ops);

/** The kernel's rule: `{{name}}` placeholders filled from `values`; unknown names are errors. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`unknown placeholder {{${key}}}`);
    return value;
  });
}

describe('nasBench201Space', () => {
  const space = nasBench201Space({ dataset: 'cifar10' });

  it('is the nb201-cell language with the seed, grammar, descriptors and operators', () => {
    expect(space.name).toBe('nasbench201');
    expect(space.language).toBe('nb201-cell');
    expect(space.compiler.language).toBe('nb201-cell');
    expect(space.grammar).toBe(CELL_GRAMMAR);
    expect(space.descriptors.map((d) => d.name)).toEqual(['flops', 'skips']);
    expect(space.operators).toBeDefined();
  });

  it('seeds with a single conv1x1 path through the cell', async () => {
    expect(SEED_CELL).toBe(
      '# NAS-Bench-201 cell: node k = sum of op(node j) for j < k\nnode1 = conv1x1(node0)\nnode2 = skip(node1)\nnode3 = skip(node2)',
    );
    const compiled = await space.compiler.compile(space.seed);
    expect(compiled).toEqual({
      ok: true,
      model: { arch: '|nor_conv_1x1~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|', ops: [C1, N, S, N, N, S] },
    });
  });

  it('compiles to plain data and types parse errors as compile failures', async () => {
    const ok = await nasBench201Compiler().compile('|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|');
    expect(ok.ok && structuredClone(ok.model)).toEqual({
      arch: '|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|',
      ops: [C3, N, S, N, N, P],
    });
    const bad = await space.compiler.compile('node1 = conv3x3(node0)\nnode2 = maxpool(node1)\nnode3 = skip(node2)');
    expect(bad).toEqual({
      ok: false,
      failure: { reason: 'compile', message: 'line 2: unknown operation "maxpool"; use one of conv3x3, conv1x1, avgpool, skip, none' },
    });
  });

  it('runs the whole reply -> extract -> compile path', async () => {
    const reply = 'Here you go:\n```python\nnode1 = conv3x3(node0)\nnode2 = conv3x3(node0) + skip(node1)\nnode3 = skip(node0) + conv3x3(node1) + conv3x3(node2)\n```';
    const extracted = space.extract(reply);
    expect(extracted.ok).toBe(true);
    if (!extracted.ok) return;
    const compiled = await space.compiler.compile(extracted.code);
    expect(compiled.ok && compiled.model.arch).toBe(
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    );
  });

  it('rejects a missing or unknown dataset with the valid names', () => {
    expect(() => nasBench201Space({ dataset: 'cifar-10' as never })).toThrow(
      /dataset: unknown NAS-Bench-201 dataset "cifar-10"; use one of 'cifar10', 'cifar100', 'imagenet16-120'/,
    );
    expect(() => nasBench201Space({} as never)).toThrow(/dataset/);
    expect(() => nasBench201({ dataset: 'cifar10', fitness: 'train' as never })).toThrow(/fitness/);
  });
});

describe('descriptors', () => {
  it('FLOPs bounds are the exact min and max over all cells, per dataset', () => {
    for (const dataset of ['cifar10', 'cifar100', 'imagenet16-120'] as const) {
      const values = allOps().map((ops) => cellFlops(ops, dataset));
      const [low, high] = flopsRange(dataset);
      expect(Math.min(...values)).toBeCloseTo(low, 9);
      expect(Math.max(...values)).toBeCloseTo(high, 9);
      const descriptor = nasBench201Space({ dataset }).descriptors[0];
      expect(descriptor?.bounds).toEqual([low, high]);
    }
    // The README's quoted ranges.
    expect(flopsRange('cifar10').map((x) => Number(x.toFixed(5)))).toEqual([7.78305, 220.11969]);
    expect(flopsRange('cifar100').map((x) => Number(x.toFixed(5)))).toEqual([7.7889, 220.12554]);
    expect(flopsRange('imagenet16-120').map((x) => Number(x.toFixed(5)))).toEqual([1.9534, 55.03756]);
  });

  it('counts skip connections, independent of FLOPs', () => {
    const [flops, skips] = nasBench201Space({ dataset: 'cifar10' }).descriptors;
    const a = cell([C3, S, S, N, N, S]);
    const b = cell([C3, N, N, N, N, N]);
    expect(skips?.compute(a, {})).toBe(3);
    expect(skips?.compute(b, {})).toBe(0);
    expect(flops?.compute(a, {})).toBe(flops?.compute(b, {}));
    expect(skips?.bounds).toEqual([0, 6]);
    expect(skipCount(cell([S, S, S, S, S, S]))).toBe(6);
  });

  it('measures effective depth as non-skip ops on the longest live path', () => {
    expect(effectiveDepth(cell([C3, N, C3, N, N, C3]))).toBe(3);
    expect(effectiveDepth(cell([C3, N, S, N, N, S]))).toBe(1);
    expect(effectiveDepth(cell([C3, N, C3, C1, N, N]))).toBe(1); // the chain is cut before node3
    expect(effectiveDepth(cell([N, N, N, N, N, N]))).toBe(0);
    expect(effectiveDepth(cell([P, S, C1, S, S, S]))).toBe(2);
  });
});

describe('operators', () => {
  const operators = nasBench201Space({ dataset: 'cifar10' }).operators;
  if (!operators) throw new Error('the space has no operators');

  it('random() gives parseable canonical cells, reproducibly, covering all ops', () => {
    const rng = Rng.fromSeed(7);
    const seen = new Set<string>();
    const programs = Array.from({ length: 300 }, () => operators.random(rng));
    for (const code of programs) {
      const parsed = parseCell(code);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(printCell(parsed.cell.ops)).toBe(code);
        parsed.cell.ops.forEach((op) => seen.add(op));
      }
    }
    expect(seen.size).toBe(5);
    expect(new Set(programs).size).toBeGreaterThan(250);
    const again = Rng.fromSeed(7);
    expect(Array.from({ length: 300 }, () => operators.random(again))).toEqual(programs);
  });

  it('mutate() changes exactly one edge to a different op', () => {
    const rng = Rng.fromSeed(3);
    let code = SEED_CELL;
    const edges = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const next = operators.mutate(code, rng);
      const before = parseCell(code);
      const after = parseCell(next);
      if (!before.ok || !after.ok) throw new Error('mutate produced an unparseable cell');
      const changed = before.cell.ops.flatMap((op, e) => (op !== after.cell.ops[e] ? [e] : []));
      expect(changed).toHaveLength(1);
      edges.add(changed[0] ?? -1);
      code = next;
    }
    expect(edges.size).toBe(6);
    expect(() => operators.mutate('node1 = conv3x3(node9)', rng)).toThrow(/cannot mutate a cell that does not parse: line 1/);
  });
});

describe('prompts', () => {
  it('keeps the paper\'s 16 mutation ids and names, reworded for a cell', () => {
    const space = nasBench201Space({ dataset: 'cifar100' });
    expect(space.prompts.mutations.map((m) => [m.id, m.name])).toEqual(DEFAULT_MUTATIONS.map((m) => [m.id, m.name]));
    expect(CELL_MUTATIONS.find((m) => m.name === 'add-pooling')?.text).toContain('avgpool');
    // Instructions about things a cell does not have are reworded into edge operations.
    for (const name of ['add-dense', 'add-dropout', 'add-normalisation', 'add-layer', 'increase-width']) {
      const m = space.prompts.mutations.find((x) => x.name === name);
      expect(m?.text).not.toBe(DEFAULT_MUTATIONS.find((x) => x.name === name)?.text);
      expect(m?.text).toMatch(/conv1x1|conv3x3|avgpool|none|skip|terms/);
    }
  });

  it('states the contract for the dataset in the system message', () => {
    const { system } = nasBench201Space({ dataset: 'imagenet16-120' }).prompts;
    expect(system).toContain('16x16 RGB images of ImageNet16-120 into 120 classes');
    expect(system).toContain('node0 is the cell input and node3 is the cell output');
    for (const op of ['conv3x3', 'conv1x1', 'avgpool', 'skip', 'none']) expect(system).toContain(`${op}:`);
    // The example in the system message is itself a valid cell.
    const example = extractCell(system);
    expect(example.ok && parseCell(example.code).ok).toBe(true);
  });

  it('fills mutation and crossover templates in both forms; completion ends inside an open block', () => {
    const { prompts } = nasBench201Space({ dataset: 'cifar10' });
    const parent = SEED_CELL;
    const instruction = prompts.mutations[7]?.text ?? '';
    const chat = fill(prompts.mutation.chat, { code: parent, instruction });
    expect(chat).toContain(parent);
    expect(chat).toContain(instruction);
    const completion = fill(prompts.mutation.completion, { code: parent, instruction });
    expect(completion.endsWith('New cell:\n```python\n')).toBe(true);
    expect(prompts.stop).toEqual(['```']);
    const values = { code_a: parent, code_b: printCell([C3, C3, C3, S, C3, C3]), instruction: prompts.crossoverInstruction };
    for (const template of [prompts.crossover.chat, prompts.crossover.completion]) {
      const text = fill(template, values);
      expect(text).toContain(values.code_a);
      expect(text).toContain(values.code_b);
      expect(text).toContain(prompts.crossoverInstruction);
    }
    // A model that continues the completion prompt and stops at ``` yields an extractable cell.
    const continuation = 'node1 = conv3x3(node0)\nnode2 = skip(node1)\nnode3 = avgpool(node2)\n';
    const extracted = extractCell(continuation);
    expect(extracted.ok).toBe(true);
  });
});
