import { z } from 'zod';
import { Rng } from '../rng/rng.js';
import type { GenerateRequest, GenerateResult, LLMProvider } from './provider.js';

/** One member of an {@link ensemble}: a provider and its share of the calls. */
export interface EnsembleMember {
  provider: LLMProvider;
  /** Relative share of calls (any non-negative number; shares are normalised). */
  weight: number;
}

/** Options of {@link ensemble}. */
export interface EnsembleOptions {
  /** Seed of the member choice, so that a run with the same seed asks the same models. */
  seed: number;
}

/** A provider made by {@link ensemble}. */
export interface EnsembleProvider extends LLMProvider {
  /** Calls sent to each member so far, by `provider.model`. */
  picks(): Record<string, number>;
}

const optionsSchema = z.object({ seed: z.number().int() });

/** Draws discarded from a fresh stream (see `stream` below). */
const WARM_UP_DRAWS = 8;

/**
 * A provider that spreads calls over several providers in proportion to their weights. The
 * member is chosen from a seeded stream: by `(seed, request.seed)` when the request carries a
 * seed, so the choice does not depend on the order of concurrent calls, else from one stream in
 * call order. `GenerateResult.model` reports which model answered. `check` and `close` reach
 * every member.
 *
 * @example
 * ```ts
 * const llm = ensemble([{ provider: ollama({ model: 'qwen2.5-coder:7b' }), weight: 3 },
 *                       { provider: openai({ model: 'gpt-4o-mini' }), weight: 1 }], { seed: 1 });
 * ```
 */
export function ensemble(members: readonly EnsembleMember[], options: EnsembleOptions): EnsembleProvider {
  if (!Array.isArray(members) || members.length === 0) {
    throw new TypeError('ensemble(): give at least one { provider, weight } member.');
  }
  members.forEach((member, i) => {
    if (!member?.provider || typeof member.provider.generate !== 'function') {
      throw new TypeError(`ensemble(): member ${i} has no provider: give { provider, weight }.`);
    }
    if (typeof member.weight !== 'number' || !Number.isFinite(member.weight) || member.weight < 0) {
      throw new TypeError(`ensemble(): member ${i} (${member.provider.model}) has weight ${String(member.weight)}: use a finite number >= 0.`);
    }
  });
  const total = members.reduce((sum, m) => sum + m.weight, 0);
  if (total <= 0) throw new TypeError('ensemble(): all weights are 0: give at least one member a positive weight.');
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new TypeError(`ensemble(): invalid options:\n${z.prettifyError(parsed.error)}`);
  const { seed } = parsed.data;

  // The seed goes into the path, not the first argument: Rng.derive's mixing currently cancels a
  // single-digit seed against its own first character, so derive(1, p) === derive(2, p). And the
  // first draws of a freshly seeded stream barely depend on the seed, so they are discarded.
  const stream = (...path: number[]): Rng => {
    const rng = Rng.derive(0, 'ensemble', seed, ...path);
    for (let i = 0; i < WARM_UP_DRAWS; i++) rng.float();
    return rng;
  };
  const sequence = stream();
  const picks: Record<string, number> = {};

  function choose(request: GenerateRequest): EnsembleMember {
    const draw = (request.seed !== undefined ? stream(request.seed) : sequence).float() * total;
    let acc = 0;
    for (const member of members) {
      acc += member.weight;
      if (draw < acc && member.weight > 0) return member;
    }
    // Floating-point edge: fall back to the last member with weight.
    return [...members].reverse().find((m) => m.weight > 0)!;
  }

  return {
    name: 'ensemble',
    model: `ensemble(${members.map((m) => m.provider.model).join(',')})`,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const { provider } = choose(request);
      picks[provider.model] = (picks[provider.model] ?? 0) + 1;
      const result = await provider.generate(request);
      return { ...result, model: result.model || provider.model };
    },
    async check(signal?: AbortSignal): Promise<void> {
      await Promise.all(members.map((m) => m.provider.check?.(signal)));
    },
    async close(): Promise<void> {
      await Promise.all(members.map((m) => m.provider.close?.()));
    },
    picks: () => ({ ...picks }),
  };
}
