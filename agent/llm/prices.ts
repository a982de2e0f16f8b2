// What a Claude request costs: a small price table per model (USD per million tokens) and the
// arithmetic from an API `usage` block to dollars, so the planner can count spend against a budget.

export type ModelPrice = { input_per_million: number; output_per_million: number };

/**
 * Published list prices, USD per million tokens (platform.claude.com model pages, autumn 2026).
 * Mythos 5 shares Fable 5's price. Models missing here (Claude Haiku 5.5 is tiered, Opus 4.7/4.8,
 * Fable/Mythos 5.2 were not published when this was written) fall back to `fallbackModelPrice`.
 */
export const modelPrices: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-1': { input_per_million: 10, output_per_million: 50 },
  'claude-fable-5': { input_per_million: 10, output_per_million: 50 },
  'claude-mythos-5': { input_per_million: 10, output_per_million: 50 },
  'claude-opus-5-5': { input_per_million: 4, output_per_million: 20 },
  'claude-opus-5': { input_per_million: 5, output_per_million: 25 },
  'claude-opus-4-6': { input_per_million: 5, output_per_million: 25 },
  'claude-opus-4-5': { input_per_million: 5, output_per_million: 25 },
  'claude-sonnet-5-5': { input_per_million: 2, output_per_million: 10 },
  'claude-sonnet-5': { input_per_million: 2, output_per_million: 10 },
  'claude-sonnet-4-6': { input_per_million: 3, output_per_million: 15 },
  'claude-sonnet-4-5': { input_per_million: 3, output_per_million: 15 },
  'claude-haiku-4-5': { input_per_million: 1, output_per_million: 5 },
};

/** Unknown models are priced like the most expensive known one, so a budget errs on the safe side. */
export const fallbackModelPrice: ModelPrice = { input_per_million: 10, output_per_million: 50 };

/** Prompt-cache multipliers on the input price (5-minute cache write, cache read). */
export const cacheWriteMultiplier = 1.25;
export const cacheReadMultiplier = 0.1;

/** The usage fields of a Messages API response that cost money. */
export type TokenUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
};

/** Exact id first, then the id without a -YYYYMMDD snapshot suffix, then the fallback. */
export function priceForModel(model: string): ModelPrice {
  return modelPrices[model] ?? modelPrices[model.replace(/-\d{8}$/, '')] ?? fallbackModelPrice;
}

export function costUsd(model: string, usage: TokenUsage): number {
  const price = priceForModel(model);
  const inputTokens =
    usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) * cacheWriteMultiplier + (usage.cache_read_input_tokens ?? 0) * cacheReadMultiplier;
  return (inputTokens * price.input_per_million + usage.output_tokens * price.output_per_million) / 1_000_000;
}
