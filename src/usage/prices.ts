// List prices per model (USD per million tokens) and the cost of a call from its usage.
import type { ConfiguredProvider } from "../gateway/providers.ts";
import { cataloguePrice } from "./price-catalogue.ts";

export interface Price {
  input_per_mtok: number;
  output_per_mtok: number;
}

/** The config's catalogue entry first, then the built-in catalogue of the provider's adapter. */
export function priceFor(provider: ConfiguredProvider, model: string): Price | undefined {
  const entry = provider.settings.models?.find((m) => m.id === model || m.aliases?.includes(model));
  if (entry?.input_per_mtok !== undefined && entry.output_per_mtok !== undefined) {
    return { input_per_mtok: entry.input_per_mtok, output_per_mtok: entry.output_per_mtok };
  }
  const listed = cataloguePrice(provider.adapter.name, model);
  return listed ? { input_per_mtok: listed[0], output_per_mtok: listed[1] } : undefined;
}

/** Cost in micro-USD (integral), so sums stay exact. */
export function costMicros(price: Price | undefined, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return Math.round(inputTokens * price.input_per_mtok + outputTokens * price.output_per_mtok);
}

export const microsToUsd = (micros: number): number => micros / 1_000_000;
