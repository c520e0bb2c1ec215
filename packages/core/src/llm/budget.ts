import { z } from 'zod';
import { LLMError, type GenerateRequest, type GenerateResult, type LLMProvider, type TokenUsage } from './provider.js';

/** Price of one model in USD per 1,000,000 tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** Prices by model id (as `GenerateResult.model` reports it); the key `'*'` prices any other model. */
export type PriceTable = Record<string, ModelPrice>;

/** Caps of {@link withBudget}. Unset caps do not limit. */
export interface BudgetOptions {
  /** Most prompt + completion tokens in total. */
  maxTokens?: number;
  /** Most calls to `generate` (failed calls count: they may have cost tokens). */
  maxCalls?: number;
  /** Most spend in USD, priced with `prices`. */
  maxCost?: number;
  /** Per-model prices; required for every model when `maxCost` is set (a `'*'` entry covers the rest). */
  prices?: PriceTable;
  /** Usage already spent by this run before (e.g. when resuming), counted against the caps. */
  spent?: Partial<Pick<BudgetUsage, 'calls' | 'promptTokens' | 'completionTokens' | 'cost'>>;
}

/** Usage of one model, or of all together. */
export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** USD, 0 for models without a price. */
  cost: number;
}

/** What a budgeted provider has used so far. */
export interface BudgetUsage extends UsageTotals {
  totalTokens: number;
  /** Totals per answering model. */
  byModel: Record<string, UsageTotals>;
}

/** A provider wrapped by {@link withBudget}. */
export interface BudgetedProvider extends LLMProvider {
  /** A snapshot of what was used, including `spent`. */
  usage(): BudgetUsage;
}

const priceSchema = z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) });
const optionsSchema = z.object({
  maxTokens: z.number().int().positive().optional(),
  maxCalls: z.number().int().positive().optional(),
  maxCost: z.number().positive().optional(),
  prices: z.record(z.string(), priceSchema).default({}),
  spent: z
    .object({
      calls: z.number().int().min(0).default(0),
      promptTokens: z.number().int().min(0).default(0),
      completionTokens: z.number().int().min(0).default(0),
      cost: z.number().min(0).default(0),
    })
    .default({ calls: 0, promptTokens: 0, completionTokens: 0, cost: 0 }),
});

/** USD cost of `usage` at `price`. */
export function costOf(usage: TokenUsage, price: ModelPrice | undefined): number {
  if (!price) return 0;
  return (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1_000_000;
}

/**
 * Wraps `provider` so that a run cannot spend more than its caps. Before each call the caps are
 * checked against what was spent plus the worst case known in advance for every call in flight
 * and for this one: one call, and `request.maxTokens` completion tokens (and their price). A call
 * that cannot fit is refused with a fatal `LLMError` of kind `budget`, so the run stops after a
 * checkpoint. Prompt tokens are known only after a call, so the token and cost totals can end
 * over the cap by at most the prompt of the last calls in flight.
 *
 * @example
 * ```ts
 * const llm = withBudget(openai({ model: 'gpt-4o-mini' }), {
 *   maxCost: 5,
 *   prices: { 'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
 * });
 * // ... later: llm.usage().cost
 * ```
 */
export function withBudget(provider: LLMProvider, options: BudgetOptions): BudgetedProvider {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new TypeError(`withBudget(): invalid options:\n${z.prettifyError(parsed.error)}`);
  const { maxTokens, maxCalls, maxCost, prices, spent } = parsed.data;
  if (maxCost !== undefined && !prices[provider.model] && !prices['*']) {
    throw new TypeError(
      `withBudget(): maxCost needs the price of model "${provider.model}": add prices["${provider.model}"] = { inputPerMillion, outputPerMillion } (USD per 1M tokens), or a "*" entry.`,
    );
  }
  const priceFor = (model: string): ModelPrice | undefined => prices[model] ?? prices[provider.model] ?? prices['*'];

  const totals: UsageTotals = { ...spent };
  const byModel: Record<string, UsageTotals> = {};
  // Worst case of the calls in flight, so that concurrent calls cannot jointly overshoot.
  const reserved = { calls: 0, tokens: 0, cost: 0 };

  function refuse(what: string, fix: string): never {
    throw new LLMError(`LLM budget spent: ${what}. ${fix}`, 'budget', true);
  }

  function admit(request: GenerateRequest): { tokens: number; cost: number } {
    const tokens = request.maxTokens ?? 0;
    const cost = costOf({ promptTokens: 0, completionTokens: tokens }, priceFor(provider.model));
    if (maxCalls !== undefined && totals.calls + reserved.calls + 1 > maxCalls) {
      refuse(`${totals.calls} of ${maxCalls} calls used`, 'Raise `maxCalls` to continue.');
    }
    const used = totals.promptTokens + totals.completionTokens;
    if (maxTokens !== undefined && (used >= maxTokens || used + reserved.tokens + tokens > maxTokens)) {
      refuse(`${used} of ${maxTokens} tokens used, and this call may take ${tokens} more`, 'Raise `maxTokens` to continue.');
    }
    if (maxCost !== undefined && (totals.cost >= maxCost || totals.cost + reserved.cost + cost > maxCost)) {
      refuse(`$${totals.cost.toFixed(4)} of $${maxCost} used, and this call may cost $${cost.toFixed(4)} more`, 'Raise `maxCost` to continue.');
    }
    return { tokens, cost };
  }

  function record(model: string, usage: TokenUsage): void {
    const cost = costOf(usage, priceFor(model));
    const entry = (byModel[model] ??= { calls: 0, promptTokens: 0, completionTokens: 0, cost: 0 });
    for (const target of [totals, entry]) {
      target.calls += 1;
      target.promptTokens += usage.promptTokens;
      target.completionTokens += usage.completionTokens;
      target.cost += cost;
    }
  }

  return {
    name: provider.name,
    model: provider.model,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const reservation = admit(request);
      reserved.calls += 1;
      reserved.tokens += reservation.tokens;
      reserved.cost += reservation.cost;
      let result: GenerateResult | undefined;
      try {
        result = await provider.generate(request);
        return result;
      } finally {
        reserved.calls -= 1;
        reserved.tokens -= reservation.tokens;
        reserved.cost -= reservation.cost;
        record(result?.model || provider.model, result?.usage ?? { promptTokens: 0, completionTokens: 0 });
      }
    },
    ...(provider.check ? { check: (signal?: AbortSignal) => provider.check!(signal) } : {}),
    ...(provider.close ? { close: () => provider.close!() } : {}),
    usage(): BudgetUsage {
      return {
        ...totals,
        totalTokens: totals.promptTokens + totals.completionTokens,
        byModel: Object.fromEntries(Object.entries(byModel).map(([model, entry]) => [model, { ...entry }])),
      };
    },
  };
}
