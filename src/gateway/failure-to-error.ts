// The client's error when no attempt succeeded: chosen from the last failure, whether it was sent, and who paid for it.
import { type AttemptSummary, GatewayError } from "../core/errors.ts";
import type { Candidate, UpstreamFailure } from "../plugins/sdk.ts";

export function errorForFailure(failure: UpstreamFailure, candidate: Candidate, attempts: AttemptSummary[]): GatewayError {
  const where = `${candidate.provider}/${candidate.model}`;
  const options = { attempts, retryAfterSeconds: failure.retryAfterSeconds };
  if ("unsent" in failure && failure.unsent === true) {
    // keyway refused to send a header value: a caller's key is bad input, the gateway's own key its operator's to fix.
    if (candidate.keySource === "platform") return new GatewayError("upstream_error", `${where}: ${failure.message}`, options);
    const param = candidate.keySource === "request" ? "byok_api_key" : null;
    return new GatewayError("invalid_request", `${failure.message}. Check the provider key.`, { ...options, param });
  }
  switch (failure.kind) {
    case "auth":
      if (candidate.keySource === "platform") {
        return new GatewayError("upstream_error", `${candidate.provider} refused the gateway's platform key: ${failure.message}`, options);
      }
      return new GatewayError(
        "provider_key_invalid",
        `${candidate.provider} refused your provider key: ${failure.message}. Check the key and its permissions.`,
        { ...options, param: "byok_api_key" },
      );
    case "rate_limit":
      return new GatewayError("upstream_rate_limited", `${candidate.provider} rate-limited this key: ${failure.message}`, options);
    case "timeout":
      return new GatewayError("upstream_timeout", `${where} did not answer in time: ${failure.message}`, options);
    case "model_not_available":
      return new GatewayError("model_not_found", `${where}: ${failure.message}`, { ...options, param: "model" });
    case "bad_request":
      return new GatewayError("invalid_request", `${candidate.provider} rejected the request: ${failure.message}`, options);
    default:
      return new GatewayError("upstream_error", `${where} failed: ${failure.message}`, options);
  }
}
