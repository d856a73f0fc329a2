// Anthropic's error answers ({"type":"error","error":{"type","message"}}) -> keyway's failure kinds.
import type { FailureKind, UpstreamFailure } from "../../plugins/sdk.ts";
import { parseRetryAfter, upstreamErrorMessage } from "../failure.ts";

/** Anthropic's documented error types; the HTTP status decides when the type is missing or new. */
const KIND_BY_TYPE: Readonly<Record<string, FailureKind>> = {
  authentication_error: "auth",
  permission_error: "auth",
  // The key's organisation cannot pay: this key cannot serve the request, like a refused key.
  billing_error: "auth",
  rate_limit_error: "rate_limit",
  overloaded_error: "server_error",
  api_error: "server_error",
  timeout_error: "timeout",
  invalid_request_error: "bad_request",
  request_too_large: "bad_request",
};

function errorOf(body: string): { type?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null) return {};
    const error = (parsed as { error?: unknown }).error;
    if (typeof error !== "object" || error === null) return {};
    const { type, message } = error as { type?: unknown; message?: unknown };
    return { type: typeof type === "string" ? type : undefined, message: typeof message === "string" ? message : undefined };
  } catch {
    return {};
  }
}

function kindOf(status: number, type: string | undefined, message: string): FailureKind {
  if (status === 404 || type === "not_found_error") return /model/i.test(message) ? "model_not_available" : "bad_request";
  const byType = type === undefined ? undefined : KIND_BY_TYPE[type];
  if (byType) return byType;
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limit";
  if (status === 408 || status === 504) return "timeout";
  if (status >= 500) return "server_error";
  return "bad_request";
}

export function mapAnthropicError(status: number, body: string, headers: Headers): UpstreamFailure {
  const error = errorOf(body);
  const message = error.message ?? (upstreamErrorMessage(body) || `Anthropic answered ${status}`);
  const failure: UpstreamFailure = { kind: kindOf(status, error.type, message), message };
  const retryAfter = parseRetryAfter(headers);
  if (retryAfter !== undefined) failure.retryAfterSeconds = retryAfter;
  return failure;
}
