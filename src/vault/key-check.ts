// Tries a key on its provider's cheapest authenticated call (the adapter's checkKey), through upstreamFetch.
import type { ConfiguredProvider } from "../core/provider-set.ts";
import { failureFromStatus, failureFromThrown, type ThrownFailure } from "../providers/failure.ts";
import { upstreamFetch } from "../providers/upstream-fetch.ts";
import { redactSecrets } from "../telemetry/redact.ts";

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
  try {
    const response = await upstreamFetch(request.url, {
      method: request.method ?? "GET",
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.ok) return { ok: true };
    const text = await response.text().catch(() => "");
    const failure = (provider.adapter.mapError ?? failureFromStatus)(response.status, text, response.headers);
    return { ok: false, failure: { ...failure, message: redactSecrets(failure.message, [apiKey]) } };
  } catch (error) {
    return { ok: false, failure: failureFromThrown(error, provider.host, [apiKey]) };
  }
}
