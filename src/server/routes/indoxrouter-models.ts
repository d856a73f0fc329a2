// GET /api/v1/models, /api/v1/models/{provider} and /api/v1/models/{provider}/{model} in the shapes IndoxRouter's
// client reads: providers, each with its models (id without the provider prefix, capabilities, list price), from
// the same list as GET /v1/models (what this caller may use). Model groups are listed under the provider `keyway`.
import { GatewayError } from "../../core/errors.ts";
import type { Principal } from "../../core/principal.ts";
import type { EndpointName } from "../../plugins/sdk.ts";
import { priceFor } from "../../usage/prices.ts";
import type { AppDeps } from "../context.ts";
import { listModels } from "./models.ts";

/** The owner of model groups in GET /v1/models, listed as a provider of its own here. */
const GROUPS_OWNER = "keyway";

/** keyway's endpoint names as IndoxRouter names the capabilities. */
const CAPABILITY: Record<EndpointName, string> = {
  chat: "chat",
  completions: "completion",
  embeddings: "embedding",
  images: "image",
  speech: "tts",
  moderations: "moderation",
  transcriptions: "stt",
};

interface ModelInfo {
  id: string;
  name: string;
  provider: string;
  capabilities: string[];
  description: string | null;
  max_tokens: number | null;
  pricing: { input_per_mtok: number; output_per_mtok: number; unit: "USD per million tokens" } | null;
  metadata: Record<string, unknown>;
}

interface ProviderInfo {
  id: string;
  name: string;
  description: string | null;
  capabilities: string[];
  models: ModelInfo[];
  metadata: Record<string, unknown>;
}

function capabilitiesOf(deps: AppDeps, provider: string): string[] {
  const configured = deps.providers.get(provider);
  if (!configured) return ["chat"];
  return (Object.keys(configured.adapter.endpoints) as EndpointName[]).flatMap((name) => (CAPABILITY[name] ? [CAPABILITY[name]] : []));
}

function modelInfo(deps: AppDeps, provider: string, model: string, capabilities: string[]): ModelInfo {
  const configured = deps.providers.get(provider);
  const price = configured ? priceFor(configured, model) : undefined;
  return {
    id: model,
    name: model,
    provider,
    capabilities,
    description: provider === GROUPS_OWNER ? "A keyway model group: routed to one of its members." : null,
    max_tokens: null,
    pricing: price ? { input_per_mtok: price.input_per_mtok, output_per_mtok: price.output_per_mtok, unit: "USD per million tokens" } : null,
    metadata: configured ? { adapter: configured.adapter.name, keyway_id: `${provider}/${model}` } : { keyway_id: model },
  };
}

/** Every provider this caller may use, with its models, in configuration order (model groups last). */
export async function providerInfos(deps: AppDeps, principal: Principal): Promise<ProviderInfo[]> {
  const byProvider = new Map<string, ProviderInfo>();
  for (const { id, owned_by: owner } of await listModels(deps, principal)) {
    let info = byProvider.get(owner);
    if (!info) {
      const capabilities = owner === GROUPS_OWNER ? ["chat"] : capabilitiesOf(deps, owner);
      info = { id: owner, name: owner, description: null, capabilities, models: [], metadata: {} };
      byProvider.set(owner, info);
    }
    const model = owner === GROUPS_OWNER ? id : id.slice(owner.length + 1);
    info.models.push(modelInfo(deps, owner, model, info.capabilities));
  }
  return [...byProvider.values()];
}

/** The path after /api/v1/models/, decoded: `provider` or `provider/model` (a model id may hold further slashes). */
export function providerPath(request: Request): { provider: string; model?: string } {
  const raw = new URL(request.url).pathname.slice("/api/v1/models/".length);
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new GatewayError("invalid_request", "The path is not valid URL encoding.", { param: "model" });
  }
  const slash = path.indexOf("/");
  return slash === -1 ? { provider: path } : { provider: path.slice(0, slash), model: path.slice(slash + 1) };
}

/** GET /api/v1/models/{provider} or /api/v1/models/{provider}/{model}: 404 naming what is missing. */
export async function providerOrModel(deps: AppDeps, principal: Principal, request: Request): Promise<ProviderInfo | ModelInfo> {
  const { provider, model } = providerPath(request);
  const info = (await providerInfos(deps, principal)).find((p) => p.id === provider);
  if (!info) throw new GatewayError("not_found", `Provider '${provider}' not found, or not available to this key.`, { param: "provider" });
  if (model === undefined || model === "") return info;
  const found = info.models.find((m) => m.id === model);
  // The client tells a missing model from a missing provider by the words of the message: name no provider here.
  if (!found) throw new GatewayError("model_not_found", `Model '${model}' not found under '${provider}', or not available to this key.`, { param: "model" });
  return found;
}
