// providers() and providerHealth(): GET /v1/providers (the configured providers with the account's stored keys,
// never a key) and GET /v1/providers/health (status, latency, success rate: any key).
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type RequestOptions, callSettings } from "./options.ts";
import type { Transport } from "./transport.ts";

/** A stored provider key as keyway shows it: a hint of its last four characters, never the key. */
export interface StoredKeyInfo {
  id: string;
  provider: string;
  label: string | null;
  hint: string;
  environment: string | null;
  status: string;
  created_at: string;
  age_days: number;
  retire_at: string | null;
  rotation_days: number | null;
  rotation_due: boolean;
  settings: Record<string, unknown> | null;
}

export interface ProviderInfo {
  name: string;
  /** The adapter the provider runs on (`openai`, `anthropic`, a plugin's name). */
  adapter: string;
  /** `active` when the account has an active stored key for it, else `no_keys`. */
  status: string;
  availableModels: string[];
  rotationSchedule: { schedule: string; last_run_at: string | null } | null;
  keys: StoredKeyInfo[];
}

interface WireProvider {
  name: string;
  adapter: string;
  status: string;
  available_models: string[];
  rotation_schedule: { schedule: string; last_run_at: string | null } | null;
  keys: StoredKeyInfo[];
}

export interface ProvidersResult extends ResponseMeta {
  providers: ProviderInfo[];
  raw: { providers: WireProvider[] };
}

export interface ProvidersOptions extends RequestOptions {
  /** The admin key: another account's providers. */
  accountId?: string;
}

export interface ProviderHealth {
  name: string;
  /** `healthy`, `degraded`, `unhealthy`, `disabled` or `unknown`. */
  status: string;
  latency_ms: number | null;
  latency_p95_ms: number | null;
  success_rate: number | null;
  rate_limit_remaining: number | null;
  requests: number;
  issues: string[];
  keys: { id: string; status: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

export interface ProviderHealthResult extends ResponseMeta {
  providers: ProviderHealth[];
  raw: { providers: ProviderHealth[]; settings: Record<string, unknown>; window_seconds: number };
}

const headersOf = (options: RequestOptions) => ({ ...options.headers, "x-request-id": options.requestId });

export async function providers(transport: Transport, options: ProvidersOptions = {}): Promise<ProvidersResult> {
  const { body: raw, response } = await transport.json<ProvidersResult["raw"]>({
    method: "GET",
    path: "/v1/providers",
    query: { account_id: options.accountId },
    headers: headersOf(options),
    ...callSettings(options),
  });
  const list = (raw.providers ?? []).map((p) => ({
    name: p.name,
    adapter: p.adapter,
    status: p.status,
    availableModels: p.available_models ?? [],
    rotationSchedule: p.rotation_schedule ?? null,
    keys: p.keys ?? [],
  }));
  return { ...metaFrom(response), providers: list, raw };
}

export async function providerHealth(transport: Transport, options: RequestOptions = {}): Promise<ProviderHealthResult> {
  const { body: raw, response } = await transport.json<ProviderHealthResult["raw"]>({ method: "GET", path: "/v1/providers/health", headers: headersOf(options), ...callSettings(options) });
  return { ...metaFrom(response), providers: raw.providers ?? [], raw };
}
