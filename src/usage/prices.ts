// List prices per model (USD per million tokens) and the cost of a call from its usage.
import type { ConfiguredProvider } from "../gateway/providers.ts";

export interface Price {
  input_per_mtok: number;
  output_per_mtok: number;
}

export function priceFor(provider: ConfiguredProvider, model: string): Price | undefined {
  const entry = provider.settings.models?.find((m) => m.id === model || m.aliases?.includes(model));
  if (entry?.input_per_mtok === undefined || entry.output_per_mtok === undefined) return undefined;
  return { input_per_mtok: entry.input_per_mtok, output_per_mtok: entry.output_per_mtok };
}

/** Cost in micro-USD (integral), so sums stay exact. */
export function costMicros(price: Price | undefined, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return Math.round(inputTokens * price.input_per_mtok + outputTokens * price.output_per_mtok);
}

export const microsToUsd = (micros: number): number => micros / 1_000_000;
