// Tries a key on its provider's cheapest authenticated call (the adapter's checkKey).
import type { ConfiguredProvider } from "../gateway/providers.ts";
import type { UpstreamFailure } from "../plugins/sdk.ts";
import { failureFromStatus } from "../providers/failure.ts";
import { redactSecrets } from "../telemetry/redact.ts";

export type KeyCheck = { ok: true } | { ok: false; failure: UpstreamFailure } | { ok: false; unsupported: true };

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
    const response = await fetch(request.url, {
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
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { kind: "server_error", message: `could not reach ${provider.host}: ${redactSecrets(reason, [apiKey])}` } };
  }
}
