// List prices per model (USD per million tokens) and the cost of a call from its usage, in integer micro-USD.
import type { ConfiguredProvider } from "../core/provider-set.ts";
import type { ModelPrice } from "../plugins/sdk.ts";
import { BASIS_POINTS, roundHalfUp, usdToMicros } from "./money.ts";
import { cataloguePrice } from "./price-catalogue.ts";

/** USD per million tokens, each a whole number of micro-USD per million tokens (at most six decimals). */
export type Price = ModelPrice;

/** The config's catalogue entry first, then the price list of the provider's adapter (built-in or plugin). */
export function priceFor(provider: ConfiguredProvider, model: string): Price | undefined {
  const entry = provider.settings.models?.find((m) => m.id === model || m.aliases?.includes(model));
  if (entry?.input_per_mtok !== undefined && entry.output_per_mtok !== undefined) {
    return { input_per_mtok: entry.input_per_mtok, output_per_mtok: entry.output_per_mtok };
  }
  return cataloguePrice(provider.adapter, model);
}

/** A token count as a non-negative integer (an upstream's odd value is taken up to the next whole token). */
function wholeTokens(tokens: number): bigint {
  return Number.isFinite(tokens) && tokens > 0 ? BigInt(Math.ceil(tokens)) : 0n;
}

const TOKENS_PER_MTOK = 1_000_000n;

/**
 * What a call costs in micro-USD: tokens x list price x (1 + markup), computed exactly and rounded once
 * (roundHalfUp). `markupBps` is in basis points (10 % = 1000); 0 gives the list price.
 */
export function costMicros(price: Price | undefined, inputTokens: number, outputTokens: number, markupBps = 0): number {
  if (!price) return 0;
  const list = wholeTokens(inputTokens) * BigInt(usdToMicros(price.input_per_mtok)) + wholeTokens(outputTokens) * BigInt(usdToMicros(price.output_per_mtok));
  return roundHalfUp(list * BigInt(BASIS_POINTS + markupBps), TOKENS_PER_MTOK * BigInt(BASIS_POINTS));
}

