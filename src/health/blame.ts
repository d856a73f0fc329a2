// Whose fault a failed upstream attempt is: the one rule that decides what feeds provider health. Only the
// provider's failures count against it; the caller's own (its key refused, a request the provider rejected as
// bad, key material keyway would not send) never do, so no caller can take a provider out of routing for others.
import type { FailureKind, KeySource } from "../plugins/sdk.ts";

/**
 * `provider`: recorded on the provider (and on the stored key that was used).
 * `key`: a stored key was refused: recorded on that key only; the provider answered as it should.
 * `caller`: recorded nowhere.
 */
export type Blame = "provider" | "key" | "caller";

export function blameFor(kind: FailureKind, keySource: KeySource): Blame {
  switch (kind) {
    // The request as the caller sent it (or a header value keyway refused to send): the provider did its job.
    case "bad_request":
      return "caller";
    // A caller's own key refused is the caller's to fix; the gateway's platform key refused is the operator's.
    case "auth":
      if (keySource === "request") return "caller";
      return keySource === "stored" ? "key" : "provider";
    default:
      return "provider";
  }
}
