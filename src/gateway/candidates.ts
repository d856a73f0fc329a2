// Targets x key sources -> the candidates a strategy may order; refuses keys meant for another provider.
import { GatewayError } from "../core/errors.ts";
import type { Candidate } from "../plugins/sdk.ts";
import { priceFor } from "../usage/prices.ts";
import type { CallKeys, KeySourceDriver } from "../core/key-source.ts";
import type { ProviderSet, Target } from "../core/provider-set.ts";
import { belongsElsewhere } from "./key-sources.ts";

/** The candidates found so far, and the first key that looked like another provider's. */
interface Found {
  candidates: Candidate[];
  mismatch?: { target: Target; owner: string };
}

/**
 * Every (target, key source) pair's candidates, in target order then source order. At once (no promise) when every
 * source answers at once, as the built-in ones do from their caches.
 */
export function buildCandidates(
  targets: readonly Target[],
  sources: readonly KeySourceDriver[],
  call: CallKeys,
  providers: ProviderSet,
): Candidate[] | Promise<Candidate[]> {
  return collect(targets, sources, call, providers, { candidates: [] }, 0, 0);
}

/** Collects from the pair (`fromTarget`, `fromSource`) on; a source answering with a promise continues after it. */
function collect(
  targets: readonly Target[],
  sources: readonly KeySourceDriver[],
  call: CallKeys,
  providers: ProviderSet,
  found: Found,
  fromTarget: number,
  fromSource: number,
): Candidate[] | Promise<Candidate[]> {
  for (let t = fromTarget; t < targets.length; t++) {
    const target = targets[t] as Target;
    const price = priceFor(target.provider, target.model);
    for (let s = t === fromTarget ? fromSource : 0; s < sources.length; s++) {
      const source = sources[s] as KeySourceDriver;
      if (source.source === "request" && call.requestKey !== undefined) {
        const owner = belongsElsewhere(call.requestKey, target.provider.adapter, providers.adapters());
        if (owner) {
          found.mismatch ??= { target, owner: owner.name };
          continue;
        }
      }
      const refs = source.refs(target, call);
      if (!Array.isArray(refs)) {
        return (refs as Promise<readonly string[]>).then((list) => {
          offer(found, target, source, price, list);
          return collect(targets, sources, call, providers, found, t, s + 1);
        });
      }
      offer(found, target, source, price, refs);
    }
  }
  return chosen(found, targets);
}

function offer(found: Found, target: Target, source: KeySourceDriver, price: Candidate["price"], refs: readonly string[]): void {
  for (const keyRef of refs) {
    found.candidates.push({
      provider: target.provider.name,
      adapter: target.provider.adapter.name,
      model: target.model,
      keySource: source.source,
      keyRef,
      price,
    });
  }
}

function chosen({ candidates, mismatch }: Found, targets: readonly Target[]): Candidate[] {
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
