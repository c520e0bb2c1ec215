import { Rng, createPromptRenderer, type AskContext, type SearchSpace } from '@llmatic/core';

/**
 * The context the runner gives `ask` for offspring `from`..`batchSize - 1` of `generation`, with
 * the runner's per-offspring streams under `seed`.
 */
export function askContext(
  space: SearchSpace<unknown>,
  seed: number,
  generation: number,
  batchSize: number,
  from = 0,
): AskContext {
  return {
    generation,
    batchSize,
    offspring: Array.from({ length: batchSize - from }, (_, i) => {
      const index = from + i;
      return { id: `g${generation}-${index}`, generation, index, rng: Rng.derive(seed, 'generation', generation, 'offspring', index) };
    }),
    space,
    render: createPromptRenderer(space.prompts, 'chat', 256),
  };
}
