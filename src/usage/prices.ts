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
  const listed = cataloguePrice(provider.adapter, model);
  if (entry?.input_per_mtok !== undefined && entry.output_per_mtok !== undefined) {
    const price: Price = { input_per_mtok: entry.input_per_mtok, output_per_mtok: entry.output_per_mtok };
    // Cache rates the entry leaves out are the adapter's only while its input price is the adapter's too.
    const sameInput = listed?.input_per_mtok === entry.input_per_mtok;
    const read = entry.cache_read_per_mtok ?? (sameInput ? listed?.cache_read_per_mtok : undefined);
    const write = entry.cache_write_per_mtok ?? (sameInput ? listed?.cache_write_per_mtok : undefined);
    if (read !== undefined) price.cache_read_per_mtok = read;
    if (write !== undefined) price.cache_write_per_mtok = write;
    return price;
  }
  return listed;
}

/** A token count as a non-negative integer (an upstream's odd value is taken up to the next whole token). */
function wholeTokens(tokens: number): bigint {
  return Number.isFinite(tokens) && tokens > 0 ? BigInt(Math.ceil(tokens)) : 0n;
}

const TOKENS_PER_MTOK = 1_000_000n;

/** Input tokens the provider's prompt cache served (`read`) or stored (`write`); both are part of the input tokens. */
export interface CacheTokens {
  read?: number;
  write?: number;
}

/**
 * What a call costs in micro-USD, computed exactly and rounded once (roundHalfUp): uncached input x input price +
 * cache reads x cache-read price + cache writes x cache-write price + output x output price, times (1 + markup).
 * `inputTokens` counts cached tokens too (OpenAI's prompt_tokens); a cache rate the price leaves out is the input
 * price. `markupBps` is in basis points (10 % = 1000); 0 gives the list price.
 */
export function costMicros(price: Price | undefined, inputTokens: number, outputTokens: number, markupBps = 0, cache?: CacheTokens): number {
  if (!price) return 0;
  const input = wholeTokens(inputTokens);
  const read = minBig(wholeTokens(cache?.read ?? 0), input);
  const write = minBig(wholeTokens(cache?.write ?? 0), input - read);
  const inputRate = BigInt(usdToMicros(price.input_per_mtok));
  const readRate = price.cache_read_per_mtok === undefined ? inputRate : BigInt(usdToMicros(price.cache_read_per_mtok));
  const writeRate = price.cache_write_per_mtok === undefined ? inputRate : BigInt(usdToMicros(price.cache_write_per_mtok));
  const list =
    (input - read - write) * inputRate + read * readRate + write * writeRate + wholeTokens(outputTokens) * BigInt(usdToMicros(price.output_per_mtok));
  return roundHalfUp(list * BigInt(BASIS_POINTS + markupBps), TOKENS_PER_MTOK * BigInt(BASIS_POINTS));
}

const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
