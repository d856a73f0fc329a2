// The client's typed errors: keyway's error answer (code, status, param, Retry-After, request id, attempts) as a
// KeywayError, a subclass per status family, and the failures that have no answer (connection, timeout, abort).
import type { WireAttempt, WireError } from "./wire.ts";

export interface KeywayErrorInit {
  /** keyway's error code (`invalid_api_key`, `upstream_rate_limited`, ...), or the client's own for failures without an answer. */
  code: string;
  /** The HTTP status; null when no answer came (connection, timeout) or the error arrived inside a stream. */
  status: number | null;
  type?: string | null;
  param?: string | null;
  /** Seconds to wait, from the Retry-After header. */
  retryAfter?: number | null;
  requestId?: string | null;
  attempts?: WireAttempt[];
  /** Further fields of keyway's error object (`approval_id`, `kind`). */
  details?: Record<string, unknown>;
  headers?: Headers;
  cause?: unknown;
}

export class KeywayError extends Error {
  readonly code: string;
  readonly status: number | null;
  readonly type: string | null;
  readonly param: string | null;
  readonly retryAfter: number | null;
  readonly requestId: string | null;
  /** The upstream attempts keyway made, when it says (`upstream_error`). */
  readonly attempts: WireAttempt[];
  readonly details: Record<string, unknown>;
  readonly headers: Headers | undefined;

  constructor(message: string, init: KeywayErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.status = init.status;
    this.type = init.type ?? null;
    this.param = init.param ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.requestId = init.requestId ?? null;
    this.attempts = init.attempts ?? [];
    this.details = init.details ?? {};
    this.headers = init.headers;
  }
}

/** 400 and 413: the request itself is wrong (`invalid_request`, `no_provider_key`, `provider_mismatch`, ...). */
export class BadRequestError extends KeywayError {}
/** 401: the keyway key (`invalid_api_key`) or the provider key (`provider_key_invalid`) was refused. */
export class AuthenticationError extends KeywayError {}
/** 402: `insufficient_credits`, `budget_exceeded`. */
export class PaymentRequiredError extends KeywayError {}
/** 403: `permission_denied`, `model_not_allowed`, `ip_not_allowed`, `approval_required` (see `details.approval_id`). */
export class PermissionDeniedError extends KeywayError {}
/** 404: `model_not_found`, `not_found`. */
export class NotFoundError extends KeywayError {}
/** 429: `rate_limited` (keyway's platform limit) or `upstream_rate_limited` (the provider's); `retryAfter` says when. */
export class RateLimitError extends KeywayError {}
/** 5xx: `upstream_error`, `upstream_timeout`, `limits_unavailable`, ... */
export class ServerError extends KeywayError {}
/** No answer: the connection failed (code `connection_error`). */
export class ConnectionError extends KeywayError {}
/** No answer within `timeoutMs` (code `timeout`). */
export class TimeoutError extends KeywayError {}
/** The caller's `signal` aborted the call (code `aborted`). */
export class AbortError extends KeywayError {}

function classFor(status: number): typeof KeywayError {
  if (status === 401) return AuthenticationError;
  if (status === 402) return PaymentRequiredError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return BadRequestError;
}

/** Retry-After as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(headers: Headers): number | null {
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}

function isWireError(body: unknown): body is WireError {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

/** The error an unsuccessful answer stands for, from its status, headers and (JSON or not) body text. */
export function errorFromAnswer(status: number, headers: Headers, text: string): KeywayError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const common = { status, headers, retryAfter: retryAfterSeconds(headers), requestId: headers.get("x-request-id") };
  const ErrorClass = classFor(status);
  if (!isWireError(body)) {
    const excerpt = text.trim().slice(0, 200);
    return new ErrorClass(`keyway answered ${status}${excerpt ? `: ${excerpt}` : " with no body"}`, { ...common, code: `http_${status}` });
  }
  const { message, type, param, code, attempts, ...details } = body.error;
  return new ErrorClass(message, {
    ...common,
    code: typeof code === "string" && code !== "" ? code : `http_${status}`,
    type: type ?? null,
    param: param ?? null,
    attempts: Array.isArray(attempts) ? attempts : [],
    details,
  });
}

/** An `{"error": {...}}` event inside a stream: the answer had already begun, so it carries no status. */
export function errorFromStreamEvent(event: WireError, requestId: string | null): KeywayError {
  const { message, type, param, code, attempts, ...details } = event.error;
  return new KeywayError(message, {
    code: typeof code === "string" && code !== "" ? code : "stream_error",
    status: null,
    type: type ?? null,
    param: param ?? null,
    requestId,
    attempts: Array.isArray(attempts) ? attempts : [],
    details,
  });
}

export { isWireError };
