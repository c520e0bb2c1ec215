/** LLMatic's recommended preset: random start, waves, tournament parents, the instruction bandit. */
import { describe, expect, it } from 'vitest';
import { CVTArchive, PRESET_VALUES, randomSearch, type SearchSpace } from '@llmatic/core';
import { askContext } from './support/ask-context.js';
import {
  SEED,
  ask,
  createStrategy,
  evaluate,
  generation,
  llmProposal,
  toySpaceWithOperators as space,
} from './support/llmatic-harness.js';

const recommended = (options: Parameters<typeof createStrategy>[0] = {}) => createStrategy(options, space);
const askR = (s: ReturnType<typeof recommended>, g: number, batch: number, from = 0) => ask(s, g, batch, from, space);

describe('LLMatic (recommended preset)', () => {
  it('is the default, and the paper preset is one switch away', () => {
    expect(createStrategy({}, space)).toBeDefined();
    expect(PRESET_VALUES.recommended).toMatchObject({
      init: 'random',
      initialPopulation: 30,
      waveSize: 10,
      parentSelection: { kind: 'tournament', size: 3 },
      promptSelection: 'bandit',
      crossoverMate: 'parent-nearest',
      mutationProbability: 0.8,
    });
    expect(PRESET_VALUES.paper).toMatchObject({
      init: 'seed',
      initThreshold: 10,
      waveSize: null,
      parentSelection: { kind: 'uniform' },
      promptSelection: 'curiosity',
      crossoverMate: 'pool-nearest',
      crossoverPool: 10,
      mutationProbability: 0.7,
      warmupTemperature: 0.6,
      crossoverTemperature: 0.7,
      temperatureJitter: 0.1,
      temperatureStep: 0.05,
      temperatureRange: [0.1, 1],
      networkNiches: 100,
    });
  });

  it('starts from the space random programs, drawn from each offspring stream as random search draws them', () => {
    const s = recommended({ waveSize: null });
    const first = askR(s, 0, 40).proposals;
    const random = randomSearch().create({ seed: SEED, space, descriptorBounds: [[0, 100], [0, 10]] });
    const baseline = random.ask(askContext(space, SEED, 0, 40));
    expect(first.slice(0, 30)).toEqual(baseline.slice(0, 30));
    expect(first.slice(0, 30).every((p) => p.kind === 'code' && p.operator === 'random')).toBe(true);
    // Then the LLM, from the seed while no random program has been told yet.
    expect(first.slice(30).every((p) => p.kind === 'llm' && p.parents[0] === 'seed')).toBe(true);
  });

  it('falls back to warm-up from the seed in a space without operators', () => {
    const s = createStrategy({});
    expect(ask(s, 0, 10).proposals.every((p) => p.kind === 'llm' && p.parents[0] === 'seed')).toBe(true);
  });

  it('plans in waves: a prefix of waveSize offspring, the next wave after the results', () => {
    const s = recommended();
    const wave = askR(s, 0, 100);
    expect(wave.proposals).toHaveLength(10);
    expect(wave.ids).toEqual(Array.from({ length: 10 }, (_, i) => `g0-${i}`));
    s.tell(evaluate(wave, (j) => j * 37 + 3));
    expect(askR(s, 0, 100, 10).ids[0]).toBe('g0-10');
  });

  it('picks parents by tournament of 3: the fittest elite about 1 - (1 - 1/n)^3 of the time', () => {
    const s = recommended({ initialPopulation: 40, waveSize: null, mutationProbability: 1 });
    generation(s, 0, 40, (j) => j * 23 + 5);
    const archive = s.archives().networks as CVTArchive<{ id: string }>;
    const n = archive.size;
    const best = archive.best()?.payload.id;
    const parents = askR(s, 1, 4000).proposals.map((p) => p.parents[0]);
    const share = parents.filter((id) => id === best).length / parents.length;
    const expected = 1 - (1 - 1 / n) ** 3;
    expect(share).toBeGreaterThan(expected - 0.025);
    expect(share).toBeLessThan(expected + 0.025);
  });

  it('pairs a tournament winner with one of its 3 nearest elites for crossover', () => {
    const s = recommended({ initialPopulation: 40, waveSize: null, mutationProbability: 0 });
    generation(s, 0, 40, (j) => j * 23 + 5);
    const archive = s.archives().networks as CVTArchive<{ id: string }>;
    const byId = new Map(archive.elites().map((e) => [e.payload.id, e]));
    for (const p of askR(s, 1, 300).proposals) {
      const first = byId.get(p.parents[0] ?? '');
      if (!first) throw new Error('first parent is not an elite');
      expect(archive.nearest(first.descriptors, 3, first.niche).map((e) => e.payload.id)).toContain(p.parents[1]);
    }
  });

  it('learns which instruction improves parents and asks for it more', () => {
    const s = recommended({ initialPopulation: 40, waveSize: null, mutationProbability: 1 });
    generation(s, 0, 40, (j) => j * 23 + 5);
    // Instruction 4 always improves its parent (+1), every other makes it worse (-1).
    const values = new Map(Array.from({ length: 40 }, (_, j) => [`g0-${j}`, j * 23 + 5]));
    for (let g = 1; g <= 5; g++) {
      const asked = askR(s, g, 40);
      s.tell(
        evaluate(asked, (j, p) => {
          const parent = values.get(p.parents[0] ?? '') ?? NaN;
          const child = llmProposal(p).promptId === 4 ? Math.min(parent + 1, 999) : Math.max(parent - 1, 0);
          values.set(asked.ids[j] ?? '', child);
          return child;
        }),
      );
      s.endGeneration();
    }
    const share = askR(s, 6, 400).proposals.filter((p) => llmProposal(p).promptId === 4).length / 400;
    expect(share).toBeGreaterThan(0.6);
  });

  it('keeps the plans of offspring asked but not told in its snapshot', () => {
    const s = recommended({ initialPopulation: 5 });
    generation(s, 0, 5, (j) => j * 37 + 3);
    const wave = askR(s, 1, 10);
    const copy = recommended({ initialPopulation: 5 });
    copy.restore(JSON.parse(JSON.stringify(s.snapshot())));
    const results = evaluate(wave, (j) => 600 + j);
    expect(copy.tell(results)).toEqual(s.tell(results));
    expect(copy.snapshot()).toEqual(s.snapshot());
    expect(askR(copy, 2, 10).proposals).toEqual(askR(s, 2, 10).proposals);
  });

  it('refuses results it did not plan, or told twice', () => {
    const s = recommended();
    const wave = askR(s, 0, 10);
    const results = evaluate(wave, () => 5);
    s.tell(results);
    expect(() => s.tell(results)).toThrow(/did not plan \(or that was told already\)/);
    expect(() => s.tell(evaluate({ ids: ['g9-9'], proposals: [wave.proposals[0]!] }, () => 5))).toThrow(/g9-9/);
  });

  it('rejects an unknown preset or option with a message that names it', () => {
    expect(() => createStrategy({ preset: 'fast' as never }, space as SearchSpace<unknown>)).toThrow(/preset/);
    expect(() => createStrategy({ waveSize: 0 }, space)).toThrow(/waveSize/);
  });
});

describe('LLMatic: edge cases', () => {
  it('falls back to mutation when crossover finds no mate (a single elite)', () => {
    const s = recommended({ initialPopulation: 1, waveSize: null, mutationProbability: 0 });
    generation(s, 0, 1, () => 505);
    const next = askR(s, 1, 20).proposals;
    expect(next.every((p) => p.operator === 'mutation' && p.parents[0] === 'g0-0')).toBe(true);
  });

  it('prompt-archive-only keeps the fittest: a tie with the worst member of a full population is rejected', () => {
    const s = createStrategy({ preset: 'paper', ablation: 'prompt-archive-only', populationSize: 2, initThreshold: 1 }, space);
    expect(generation(s, 0, 3, (j) => [300, 200, 200][j] ?? null).statuses).toEqual(['new', 'new', 'rejected']);
    expect(generation(s, 1, 1, () => 250).statuses).toEqual(['new']);
    expect(generation(s, 2, 1, () => 100).statuses).toEqual(['rejected']);
  });

  it('rejects a temperature range whose low end is above its high end', () => {
    expect(() => createStrategy({ temperatureRange: [0.9, 0.2] }, space)).toThrow(/temperatureRange/);
  });
});
