// What a Claude request costs: a dated price table per model (USD per million tokens), the prompt-cache
// multipliers, and the arithmetic from an API `usage` block to dollars, so spend can be counted against a budget.

export type ModelPrice = { input_per_million: number; output_per_million: number };

/** When the table was last checked against the published prices; a user can override it with --price. */
export const pricesCheckedOn = '2026-11-20';

/**
 * Published list prices, USD per million tokens (platform.claude.com model pages, checked on pricesCheckedOn).
 * Mythos 5 shares Fable 5's price. A model missing here is not guessed: priceForModel returns null and the
 * caller warns, counting the cost as unknown (0) unless a price is given (--price IN,OUT).
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

/** Prompt-cache multipliers on the input price: writes with the 5-minute and the 1-hour lifetime, and reads. */
export const cacheWrite5mMultiplier = 1.25;
export const cacheWrite1hMultiplier = 2;
export const cacheReadMultiplier = 0.1;

/** The usage fields of a Messages API response that cost money. */
export type TokenUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The split of cache_creation_input_tokens by lifetime, when the API reports it. */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
};

/** Exact id first, then the id without a -YYYYMMDD snapshot suffix; null when the table does not know it. */
export function priceForModel(model: string): ModelPrice | null {
  return modelPrices[model] ?? modelPrices[model.replace(/-\d{8}$/, '')] ?? null;
}

/** The warning for a model without a price, once per client. */
export function unknownPriceWarning(model: string): string {
  return `warning: no price for model "${model}" in the table (checked ${pricesCheckedOn}); its cost is counted as $0 and --budget-usd cannot stop it. Give its price with --price IN,OUT (USD per million input, output tokens).`;
}

/** USD for one response; an unknown model without an override costs 0 (and the caller has warned). */
export function costUsd(model: string, usage: TokenUsage, override?: ModelPrice): number {
  const price = override ?? priceForModel(model);
  if (!price) return 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const long = Math.min(usage.cache_creation?.ephemeral_1h_input_tokens ?? 0, written);
  const inputTokens =
    usage.input_tokens + (written - long) * cacheWrite5mMultiplier + long * cacheWrite1hMultiplier + (usage.cache_read_input_tokens ?? 0) * cacheReadMultiplier;
  return (inputTokens * price.input_per_million + usage.output_tokens * price.output_per_million) / 1_000_000;
}
