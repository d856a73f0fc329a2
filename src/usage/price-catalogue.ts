// The list price of a model from its provider adapter's `prices` (built-in and plugin adapters alike): the longest
// listed id the model starts with (gpt-4o-2024-08-06 -> gpt-4o). Each adapter's answers are remembered, so the
// per-request lookup is a map read after the first call for a model.
import type { ModelPrice, ProviderAdapter } from "../plugins/sdk.ts";
import { builtInAdapters } from "../providers/builtin.ts";

/** The built-in adapters' price lists, adapter -> model id -> [input, output] USD per million tokens. */
export const PRICE_CATALOGUE: Readonly<Record<string, Readonly<Record<string, [input: number, output: number]>>>> = Object.fromEntries(
  [...builtInAdapters.values()].map((adapter) => [
    adapter.name,
    Object.fromEntries(Object.entries(adapter.prices ?? {}).map(([model, price]) => [model, [price.input_per_mtok, price.output_per_mtok]])),
  ]),
);

const MAX_REMEMBERED = 10_000;
const remembered = new WeakMap<ProviderAdapter, Map<string, ModelPrice | undefined>>();

/** The adapter's list price of `model`, by longest matching id; undefined when it lists none. */
export function cataloguePrice(adapter: ProviderAdapter, model: string): ModelPrice | undefined {
  if (!adapter.prices) return undefined;
  let found = remembered.get(adapter);
  if (!found) remembered.set(adapter, (found = new Map()));
  if (found.has(model)) return found.get(model);
  const price = lookup(adapter.prices, model);
  if (found.size > MAX_REMEMBERED) found.clear();
  found.set(model, price);
  return price;
}

function lookup(prices: Readonly<Record<string, ModelPrice>>, model: string): ModelPrice | undefined {
  let best: string | undefined;
  for (const id of Object.keys(prices)) {
    if ((model === id || model.startsWith(`${id}-`) || model.startsWith(`${id}@`)) && (best === undefined || id.length > best.length)) best = id;
  }
  return best === undefined ? undefined : prices[best];
}
