// Tries a key on its provider's cheapest authenticated call (the adapter's checkKey), through callUpstream.
import type { ConfiguredProvider } from "../core/provider-set.ts";
import type { ThrownFailure } from "../providers/failure.ts";
import { callUpstream } from "../providers/upstream-call.ts";

/** A refused check's failure says `unsent` when keyway would not send the key (it cannot travel in a header). */
export type KeyCheck = { ok: true } | { ok: false; failure: ThrownFailure } | { ok: false; unsupported: true };

export async function checkProviderKey(provider: ConfiguredProvider, apiKey: string, timeoutMs = 10_000): Promise<KeyCheck> {
  if (!provider.adapter.checkKey) return { ok: false, unsupported: true };
  const request = provider.adapter.checkKey({
    provider: provider.name,
    model: "",
    baseUrl: provider.baseUrl,
    apiKey,
    stream: false,
    options: provider.settings.options ?? {},
  });
  const outcome = await callUpstream({ provider, request, apiKey, defaultMethod: "GET", signal: AbortSignal.timeout(timeoutMs) });
  return outcome.ok ? { ok: true } : { ok: false, failure: outcome.failure };
}
