// Model name -> the providers that can serve it, each with the upstream model id.
import { GatewayError } from "../core/errors.ts";
import type { ProviderSet, Target } from "../core/provider-set.ts";

export interface ResolveInput {
  model: string;
  provider?: string;
}

function fromCatalogue(providers: ProviderSet, model: string): Target[] {
  const found: Target[] = [];
  for (const provider of providers.all()) {
    for (const entry of provider.settings.models ?? []) {
      if (entry.id === model || entry.aliases?.includes(model)) found.push({ provider, model: entry.id });
    }
  }
  return found;
}

function fromPrefixes(providers: ProviderSet, model: string): Target[] {
  return providers
    .all()
    .filter((provider) => provider.adapter.modelPrefixes?.some((prefix) => model.startsWith(prefix)))
    .map((provider) => ({ provider, model }));
}

/**
 * Resolution order: the `provider` field, then `provider/model`, then model_groups,
 * then the providers' catalogues, then well-known prefixes.
 */
export function resolveTargets(input: ResolveInput, providers: ProviderSet, groups: Record<string, Record<string, string>>): Target[] {
  const { model } = input;
  if (input.provider !== undefined) {
    const provider = providers.get(input.provider);
    if (!provider) throw unknownProvider(input.provider, providers, "provider");
    const prefix = `${provider.name}/`;
    return [{ provider, model: model.startsWith(prefix) ? model.slice(prefix.length) : model }];
  }
  const slash = model.indexOf("/");
  if (slash > 0) {
    const provider = providers.get(model.slice(0, slash));
    if (provider) return [{ provider, model: model.slice(slash + 1) }];
  }
  const group = groups[model];
  if (group) {
    const members = Object.entries(group).flatMap(([name, member]) => {
      const provider = providers.get(name);
      return provider ? [{ provider, model: member }] : [];
    });
    if (members.length > 0) return members;
  }
  const catalogued = fromCatalogue(providers, model);
  if (catalogued.length > 0) return catalogued;
  const prefixed = fromPrefixes(providers, model);
  if (prefixed.length > 0) return prefixed;
  if (slash > 0) throw unknownProvider(model.slice(0, slash), providers, "model");
  throw new GatewayError(
    "model_not_found",
    `No provider is known for model '${model}'. Write it as provider/model (configured providers: ${names(providers)}).`,
    { param: "model" },
  );
}

function names(providers: ProviderSet): string {
  return providers.all().map((p) => p.name).join(", ") || "none";
}

function unknownProvider(name: string, providers: ProviderSet, param: string): GatewayError {
  return new GatewayError("model_not_found", `Unknown provider '${name}'. Configured providers: ${names(providers)}.`, { param });
}
