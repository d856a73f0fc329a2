// Which keys can pay for a target: the request's own key, and later stored and platform keys.
// Each source lists references to keys; only the executor turns a reference into the secret.
import type { Principal } from "../accounts/authenticator.ts";
import type { FailureKind, KeySource, ProviderAdapter } from "../plugins/sdk.ts";
import type { Target } from "./resolve.ts";

export interface CallKeys {
  principal: Principal;
  /** The caller's own key for this request, if any. */
  requestKey?: string;
  /** X-Use-BYOK / use_byok_only: never platform keys. */
  byokOnly: boolean;
  /** The team the call acts for: its stored keys join the account's. */
  teamId?: string | null;
  /** False for team members without byok_access. Default true. */
  storedKeysAllowed?: boolean;
}

export interface AttemptOutcome {
  ok: boolean;
  kind?: FailureKind;
  retryAfterSeconds?: number;
}

/** Request defaults and adapter options that come with a key (a stored key's settings). */
export interface KeyDefaults {
  body?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

export interface KeySourceDriver {
  source: KeySource;
  /** References to the keys of this source that may pay for the target, in preferred order. */
  refs(target: Target, call: CallKeys): Promise<string[]>;
  secret(ref: string, target: Target, call: CallKeys): Promise<string>;
  defaults?(ref: string): KeyDefaults | undefined;
  /** Told how each attempt with one of its keys went (rate limits, audit). */
  report?(ref: string, target: Target, call: CallKeys, outcome: AttemptOutcome): void;
}

/** True when the key's shape says it belongs to a provider other than `adapter`. */
export function belongsElsewhere(key: string, adapter: ProviderAdapter, adapters: readonly ProviderAdapter[]): ProviderAdapter | undefined {
  if (!adapter.keyPattern || adapter.keyPattern.test(key)) return undefined;
  return adapters.find((other) => other !== adapter && other.keyPattern?.test(key));
}

export const requestKeySource: KeySourceDriver = {
  source: "request",
  async refs(_target, call) {
    return call.requestKey === undefined ? [] : ["request"];
  },
  async secret(_ref, _target, call) {
    if (call.requestKey === undefined) throw new Error("no request key on this call");
    return call.requestKey;
  },
};
