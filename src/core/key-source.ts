// The key source contract: which keys may pay for a target. Sources list references; only the executor
// turns a reference into the secret.
import type { FailureKind, KeySource } from "../plugins/sdk.ts";
import type { Principal } from "./principal.ts";
import type { Target } from "./provider-set.ts";

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

/** What a source offers when it has no key for the call (shared: never changed). */
export const NO_REFS: readonly string[] = [];

export interface KeySourceDriver {
  source: KeySource;
  /**
   * References to the keys of this source that may pay for the target, in preferred order: at once when the source
   * knows them (every call asks every source, so a source with nothing to offer should not make one wait), or later.
   */
  refs(target: Target, call: CallKeys): readonly string[] | Promise<readonly string[]>;
  /** The key itself: at once when the source holds it (the request's own key), or later (a stored key revealed). */
  secret(ref: string, target: Target, call: CallKeys): string | Promise<string>;
  defaults?(ref: string): KeyDefaults | undefined;
  /** Told how each attempt with one of its keys went (rate limits, audit). */
  report?(ref: string, target: Target, call: CallKeys, outcome: AttemptOutcome): void;
}
