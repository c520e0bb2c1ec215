/**
 * Drives an LLMatic strategy the way the runner does, on the toy space: ask for offspring slots,
 * evaluate with a value per offspring (toy fitness value / 1000, descriptors (value mod 100,
 * value div 100)), tell, end generations.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  llmatic,
  type LLMaticOptions,
  type LLMaticStrategy,
  type Offspring,
  type PromptIndividual,
  type Proposal,
  type SearchSpace,
  type TellStatus,
} from '@llmatic/core';
import { askContext } from './ask-context.js';
import { toySpace } from './toy-space.js';

export const SEED = 3;

/** The toy space with operators: a random program is a uniform value, an edit adds 1. */
export const toySpaceWithOperators: SearchSpace<unknown> = {
  ...(toySpace as SearchSpace<unknown>),
  operators: {
    random: (rng) => `value = ${rng.int(0, 999)}`,
    mutate: (code) => `value = ${Number(/\d+/.exec(code)?.[0] ?? 0) + 1}`,
  },
};

export function createStrategy(
  options: LLMaticOptions = {},
  space: SearchSpace<unknown> = toySpace as SearchSpace<unknown>,
  seed = SEED,
): LLMaticStrategy {
  const descriptorBounds = space.descriptors.map((d) => d.bounds);
  // Centroids computed once per machine: these tests are about the strategy, not k-means.
  const cacheDir = join(tmpdir(), 'llmatic-test-centroids');
  return llmatic({ centroidSamples: 2000, ...options }).create({ seed, space, descriptorBounds, cacheDir }) as LLMaticStrategy;
}

export interface Asked {
  ids: string[];
  proposals: Proposal[];
}

/** Asks for offspring `from`..`batchSize - 1` of `generation`. */
export function ask(
  strategy: LLMaticStrategy,
  generation: number,
  batchSize: number,
  from = 0,
  space: SearchSpace<unknown> = toySpace as SearchSpace<unknown>,
): Asked {
  const context = askContext(space, SEED, generation, batchSize, from);
  const proposals = strategy.ask(context);
  return { ids: context.offspring.slice(0, proposals.length).map((slot) => slot.id), proposals };
}

/** Offspring of `asked`: offspring j gets `value(j, proposal)`, or fails when it is null. */
export function evaluate(asked: Asked, value: (j: number, proposal: Proposal) => number | null): Offspring[] {
  return asked.proposals.map((proposal, j) => {
    const v = value(j, proposal);
    return {
      id: asked.ids[j] ?? `x-${j}`,
      proposal,
      code: `value = ${v}`,
      result:
        v === null
          ? { ok: false, failure: { reason: 'compile', message: 'broken' } }
          : { ok: true, fitness: v / 1000, descriptors: [v % 100, Math.floor(v / 100)], metrics: {} },
    };
  });
}

/** Asks a whole generation, tells it with `value`, ends it; returns what was asked and the statuses. */
export function generation(
  strategy: LLMaticStrategy,
  g: number,
  batchSize: number,
  value: (j: number, proposal: Proposal) => number | null,
): Asked & { statuses: TellStatus[] } {
  const asked = ask(strategy, g, batchSize);
  const statuses = strategy.tell(evaluate(asked, value));
  strategy.endGeneration();
  return { ...asked, statuses };
}

export function promptIndividuals(strategy: LLMaticStrategy): PromptIndividual[] {
  return (strategy.archives().prompts?.elites() ?? []).map((e) => e.payload as PromptIndividual);
}

export const llmProposal = (p: Proposal | undefined): Extract<Proposal, { kind: 'llm' }> => {
  if (p?.kind !== 'llm') throw new Error(`expected an LLM proposal, got ${JSON.stringify(p)}`);
  return p;
};
