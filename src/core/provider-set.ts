// The configured providers as every layer sees them: each bound to its adapter and settings, and a model on one.
import type { ProviderSettings } from "../config/schema.ts";
import type { ProviderAdapter } from "../plugins/sdk.ts";

export interface ConfiguredProvider {
  /** The name clients write before '/'. */
  name: string;
  adapter: ProviderAdapter;
  settings: ProviderSettings;
  baseUrl: string;
  /** Per-attempt timeout until the first byte. */
  timeoutMs: number;
  /** gen_ai.provider.name for spans. */
  otelName: string;
  /** Upstream host, for server.address. */
  host: string;
  port: number;
}

export interface ProviderSet {
  get(name: string): ConfiguredProvider | undefined;
  all(): readonly ConfiguredProvider[];
  /** Adapters of every configured provider plus the built-ins: which provider a key's shape belongs to. */
  adapters(): readonly ProviderAdapter[];
}

/** One provider that can serve a request, with the upstream model id. */
export interface Target {
  provider: ConfiguredProvider;
  model: string;
}
