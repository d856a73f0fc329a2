// Maps an upstream HTTP failure to keyway's failure kinds (the default every adapter starts from), and an
// upstream fetch that threw (unsendable header, redirect, unreachable) to the same kinds.
import type { FailureKind, UpstreamFailure } from "../plugins/sdk.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import { UnsendableHeader, UpstreamRedirect } from "./upstream-fetch.ts";

/** Seconds to wait, from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(headers: Headers): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && Number.isFinite(Number(ms))) return Math.max(0, Number(ms) / 1000);
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** The human message inside an upstream error body, whatever its provider's shape. */
export function upstreamErrorMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const found = findMessage(parsed);
    if (found) return found;
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim();
  // An HTML error page says nothing useful to an API client.
  return text.startsWith("<") ? "" : text.slice(0, 300);
}

function findMessage(value: unknown): string | undefined {
  if (Array.isArray(value)) return findMessage(value[0]);
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.message === "string") return record.message;
  if (typeof record.error === "string") return record.error;
  if (typeof record.detail === "string") return record.detail;
  return findMessage(record.error);
}

function kindFromStatus(status: number, message: string): FailureKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limit";
  if (status === 408) return "timeout";
  if (status === 404 && /model/i.test(message)) return "model_not_available";
  if (status >= 500) return "server_error";
  return "bad_request";
}

export function failureFromStatus(status: number, body: string, headers: Headers): UpstreamFailure {
  const message = upstreamErrorMessage(body) || `upstream answered ${status}`;
  return { kind: kindFromStatus(status, message), message, retryAfterSeconds: parseRetryAfter(headers) };
}

/** A failure from an upstream fetch that threw; `unsent` when keyway refused to send it (nothing reached the provider). */
export type ThrownFailure = UpstreamFailure & { unsent?: true };

/**
 * What an upstream fetch that threw means. A header keyway would not send is bad input (bad_request, unsent); a
 * redirect is the provider's (or its base_url's) failure; anything else is an unreachable provider. Never holds a key.
 */
export function failureFromThrown(error: unknown, host: string, secrets: readonly (string | undefined)[]): ThrownFailure {
  if (error instanceof UnsendableHeader) return { kind: "bad_request", message: `keyway did not send the request to ${host}: ${error.message}`, unsent: true };
  if (error instanceof UpstreamRedirect) return { kind: "server_error", message: `${host} ${error.message}` };
  const reason = error instanceof Error ? error.message : String(error);
  return { kind: "server_error", message: `could not reach ${host}: ${redactSecrets(reason, secrets)}` };
}
