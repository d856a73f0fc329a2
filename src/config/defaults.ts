// What keyway serves with no config file: every built-in provider at its public base URL.
import type { ProviderSettings } from "./schema.ts";

/** Built-in provider entries, keyed by the name clients write before '/'. */
export const BUILT_IN_PROVIDER_NAMES = ["openai", "anthropic", "google", "cohere", "mistral", "perplexity"] as const;

export function defaultProviders(): Record<string, ProviderSettings> {
  const providers: Record<string, ProviderSettings> = {};
  for (const name of BUILT_IN_PROVIDER_NAMES) providers[name] = { adapter: name };
  return providers;
}
