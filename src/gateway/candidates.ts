// Targets x key sources -> the candidates a strategy may order; refuses keys meant for another provider.
import { GatewayError } from "../core/errors.ts";
import type { Candidate } from "../plugins/sdk.ts";
import { priceFor } from "../usage/prices.ts";
import type { CallKeys, KeySourceDriver } from "../core/key-source.ts";
import type { ProviderSet, Target } from "../core/provider-set.ts";
import { belongsElsewhere } from "./key-sources.ts";

export async function buildCandidates(
  targets: readonly Target[],
  sources: readonly KeySourceDriver[],
  call: CallKeys,
  providers: ProviderSet,
): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  let mismatch: { target: Target; owner: string } | undefined;
  for (const target of targets) {
    const price = priceFor(target.provider, target.model);
    for (const source of sources) {
      if (source.source === "request" && call.requestKey !== undefined) {
        const owner = belongsElsewhere(call.requestKey, target.provider.adapter, providers.adapters());
        if (owner) {
          mismatch ??= { target, owner: owner.name };
          continue;
        }
      }
      const refs = source.refs(target, call);
      for (const keyRef of Array.isArray(refs) ? refs : await refs) {
        candidates.push({
          provider: target.provider.name,
          adapter: target.provider.adapter.name,
          model: target.model,
          keySource: source.source,
          keyRef,
          price,
        });
      }
    }
  }
  if (candidates.length > 0) return candidates;
  if (mismatch) {
    throw new GatewayError(
      "provider_mismatch",
      `The key given looks like a ${mismatch.owner} key, but '${mismatch.target.provider.name}/${mismatch.target.model}' is served by ${mismatch.target.provider.name}. Send a ${mismatch.target.provider.name} key, or a ${mismatch.owner} model.`,
      { param: "byok_api_key" },
    );
  }
  const where = targets.map((t) => t.provider.name).join(", ");
  throw new GatewayError(
    "no_provider_key",
    `No key can pay for this request to ${where}: send your provider key as 'byok_api_key' (or the X-BYOK-API-Key header).`,
    { param: "byok_api_key" },
  );
}
