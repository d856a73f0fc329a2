// The request's own key as a key source, and which provider a key's shape says it belongs to.
import { type KeySourceDriver, NO_REFS } from "../core/key-source.ts";
import type { ProviderAdapter } from "../plugins/sdk.ts";

/** True when the key's shape says it belongs to a provider other than `adapter`. */
export function belongsElsewhere(key: string, adapter: ProviderAdapter, adapters: readonly ProviderAdapter[]): ProviderAdapter | undefined {
  if (!adapter.keyPattern || adapter.keyPattern.test(key)) return undefined;
  return adapters.find((other) => other !== adapter && other.keyPattern?.test(key));
}

const REQUEST: readonly string[] = ["request"];

export const requestKeySource: KeySourceDriver = {
  source: "request",
  refs(_target, call) {
    return call.requestKey === undefined ? NO_REFS : REQUEST;
  },
  secret(_ref, _target, call) {
    if (call.requestKey === undefined) throw new Error("no request key on this call");
    return call.requestKey;
  },
};
