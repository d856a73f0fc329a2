// Reads how many requests an upstream says are left in its current rate-limit window, from the response headers its
// adapter names (`rateLimitHeaders.remainingRequests`), then the generic and IETF-draft names any server may send.
import type { ProviderAdapter } from "../plugins/sdk.ts";
import { builtInAdapters } from "../providers/builtin.ts";

const GENERIC_HEADERS = ["x-ratelimit-remaining", "ratelimit-remaining"];

function namesOf(adapters: Iterable<ProviderAdapter>): string[] {
  const declared = [...adapters].flatMap((adapter) => adapter.rateLimitHeaders?.remainingRequests ?? []);
  return [...new Set([...declared.map((name) => name.toLowerCase()), ...GENERIC_HEADERS])];
}

/** With no adapter known, every built-in adapter's names. */
const BUILT_IN_NAMES = namesOf(builtInAdapters.values());
const namesByAdapter = new WeakMap<ProviderAdapter, string[]>();

function headerNames(adapter: ProviderAdapter | undefined): string[] {
  if (!adapter) return BUILT_IN_NAMES;
  let names = namesByAdapter.get(adapter);
  if (!names) namesByAdapter.set(adapter, (names = namesOf([adapter])));
  return names;
}

export function rateLimitRemaining(headers: Headers | undefined, adapter?: ProviderAdapter): number | undefined {
  if (!headers) return undefined;
  for (const name of headerNames(adapter)) {
    const value = headers.get(name);
    if (value === null) continue;
    const count = Number.parseInt(value, 10);
    if (Number.isFinite(count) && count >= 0) return count;
  }
  return undefined;
}
