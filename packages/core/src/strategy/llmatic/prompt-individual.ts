/**
 * A prompt individual of the prompt archive: a mutation instruction at a temperature, with the
 * scores the paper keeps on it.
 */
export interface PromptIndividual {
  promptId: number;
  /** The temperature that generated its last network (its descriptor). */
  temperature: number;
  /** The adapted temperature (+/- step after evaluation) used when it is next selected. */
  nextTemperature: number;
  /** Accumulated curiosity: +1 entered, -0.5 rejected, -1 untrainable. */
  curiosity: number;
  /** Collective fitness: networks at least as good as the previous generation's best. */
  fitness: number;
  /**
   * Who it is: the offspring whose result created it (`fresh` for one not yet stored). Credit
   * reaches a stored individual only while it is still the one in its niche.
   */
  origin: string;
}

export function clamp(value: number, [low, high]: readonly [number, number]): number {
  return Math.min(high, Math.max(low, value));
}

/** A new individual for `promptId` at `temperature`, with no history. */
export function freshIndividual(promptId: number, temperature: number, origin = 'fresh'): PromptIndividual {
  return { promptId, temperature, nextTemperature: temperature, curiosity: 0, fitness: 0, origin };
}
