// Cohere error answers ({"id", "message"}) in keyway's failure kinds: the status decides, with Cohere's 498.
import type { UpstreamFailure } from "../../plugins/sdk.ts";
import { failureFromStatus } from "../failure.ts";

/**
 * 401 and Cohere's own 498 (invalid token) are auth; 429 is rate_limit with Retry-After; 5xx server_error;
 * a 404 naming a model ("model 'x' not found, ...") is model_not_available; 400 and 422 are bad_request.
 */
export function mapCohereError(status: number, body: string, headers: Headers): UpstreamFailure {
  const failure = failureFromStatus(status, body, headers);
  return status === 498 ? { ...failure, kind: "auth" } : failure;
}
