// Google's error body ({"error": {code, message, status, details}}) -> keyway's failure kinds, with the retry
// delay from a google.rpc.RetryInfo detail or else Retry-After.
import type { FailureKind, UpstreamFailure } from "../../plugins/sdk.ts";
import { parseRetryAfter } from "../failure.ts";
import { isRecord } from "./wire.ts";

interface GoogleError {
  message: string;
  status?: string;
  reasons: string[];
  retryDelaySeconds?: number;
}

/** A protobuf Duration in JSON: "17s", "1.5s". */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

export function parseGoogleError(body: string): GoogleError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  // Some Google endpoints wrap the error in an array.
  const root = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = isRecord(root) && isRecord(root.error) ? root.error : undefined;
  if (!error) return undefined;
  const details = Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  const retryInfo = details.find((d) => typeof d["@type"] === "string" && d["@type"].endsWith("google.rpc.RetryInfo"));
  return {
    message: typeof error.message === "string" ? error.message : "",
    status: typeof error.status === "string" ? error.status : undefined,
    reasons: details.flatMap((d) => (typeof d.reason === "string" ? [d.reason] : [])),
    retryDelaySeconds: durationSeconds(retryInfo?.retryDelay),
  };
}

function kindOf(status: number, error: GoogleError | undefined, message: string): FailureKind {
  const keyRefused = error?.reasons.includes("API_KEY_INVALID") || /api key/i.test(message);
  if (status === 400 && keyRefused) return "auth";
  if (status === 401 || status === 403 || error?.status === "UNAUTHENTICATED" || error?.status === "PERMISSION_DENIED") return "auth";
  if (status === 429 || error?.status === "RESOURCE_EXHAUSTED") return "rate_limit";
  if (status === 408 || error?.status === "DEADLINE_EXCEEDED") return "timeout";
  if (status === 404 && /model/i.test(message)) return "model_not_available";
  if (status >= 500) return "server_error";
  return "bad_request";
}

export function mapGoogleError(status: number, body: string, headers: Headers): UpstreamFailure {
  const error = parseGoogleError(body);
  const message = error?.message || body.slice(0, 500).trim() || `Gemini answered ${status}`;
  const kind = kindOf(status, error, message);
  const retryAfterSeconds = error?.retryDelaySeconds ?? parseRetryAfter(headers);
  return retryAfterSeconds === undefined ? { kind, message } : { kind, message, retryAfterSeconds };
}
