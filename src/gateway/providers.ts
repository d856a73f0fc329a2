// Binds the configured providers to their adapters and settings (the ProviderSet of src/core/provider-set.ts).
import type { ProviderSettings } from "../config/schema.ts";
import type { ProviderAdapter } from "../plugins/sdk.ts";
import type { ConfiguredProvider, ProviderSet } from "../core/provider-set.ts";

export const DEFAULT_TIMEOUT_MS = 60_000;

export function bindProviders(
  configured: Record<string, ProviderSettings>,
  adapterFor: (settings: ProviderSettings) => ProviderAdapter,
  knownAdapters: readonly ProviderAdapter[],
): ProviderSet {
  const byName = new Map<string, ConfiguredProvider>();
  for (const [name, settings] of Object.entries(configured)) {
    const adapter = adapterFor(settings);
    const baseUrl = (settings.base_url ?? adapter.defaultBaseUrl ?? "").replace(/\/+$/, "");
    if (baseUrl === "") throw new Error(`providers.${name}.base_url: adapter '${adapter.name}' has no default base URL; set one`);
    const url = new URL(baseUrl);
    byName.set(name, {
      name,
      adapter,
      settings,
      baseUrl,
      timeoutMs: settings.timeout_ms ?? DEFAULT_TIMEOUT_MS,
      otelName: adapter.otelName || name,
      host: url.hostname,
      port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
    });
  }
  const list = [...byName.values()];
  const adapters = [...new Set([...knownAdapters, ...list.map((p) => p.adapter)])];
  return { get: (name) => byName.get(name), all: () => list, adapters: () => adapters };
}
