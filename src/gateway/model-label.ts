// A model as a metric label: the catalogue's id for it (the config's models, then the adapter's price list, where a
// dated snapshot such as gpt-4o-2024-08-06 counts as gpt-4o), else `other`. Model strings from clients or upstreams
// never become labels themselves, so a metric's series stay bounded.
import type { ConfiguredProvider } from "../core/provider-set.ts";

export const OTHER_MODEL = "other";
const MAX_REMEMBERED = 1_000;
const remembered = new WeakMap<ConfiguredProvider, Map<string, string>>();

function catalogueId(provider: ConfiguredProvider, model: string): string {
  const entry = provider.settings.models?.find((m) => m.id === model || m.aliases?.includes(model));
  if (entry) return entry.id;
  const prices = provider.adapter.prices;
  if (!prices) return OTHER_MODEL;
  if (Object.hasOwn(prices, model)) return model;
  let best: string | undefined;
  for (const id of Object.keys(prices)) {
    if ((model.startsWith(`${id}-`) || model.startsWith(`${id}@`)) && (best === undefined || id.length > best.length)) best = id;
  }
  return best ?? OTHER_MODEL;
}

export function modelLabel(provider: ConfiguredProvider, model: string | undefined): string {
  if (!model) return OTHER_MODEL;
  let known = remembered.get(provider);
  if (!known) remembered.set(provider, (known = new Map()));
  const found = known.get(model);
  if (found !== undefined) return found;
  const label = catalogueId(provider, model);
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(model, label);
  return label;
}
