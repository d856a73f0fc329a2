// keyway's typed errors: each carries its OpenAI error code and HTTP status. Only the server turns them into HTTP.

export type ErrorCode =
  | "invalid_api_key"
  | "provider_key_invalid"
  | "provider_mismatch"
  | "no_provider_key"
  | "model_not_found"
  | "model_not_allowed"
  | "invalid_request"
  | "request_too_large"
  | "rate_limited"
  | "upstream_rate_limited"
  | "permission_denied"
  | "csrf_failed"
  | "ip_not_allowed"
  | "project_tag_required"
  | "content_blocked"
  | "approval_required"
  | "budget_exceeded"
  | "insufficient_credits"
  | "not_found"
  | "method_not_allowed"
  | "upstream_error"
  | "upstream_timeout"
  | "stored_key_unreadable"
  | "limits_unavailable"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  invalid_api_key: 401,
  provider_key_invalid: 401,
  provider_mismatch: 400,
  no_provider_key: 400,
  model_not_found: 404,
  model_not_allowed: 403,
  invalid_request: 400,
  request_too_large: 413,
  rate_limited: 429,
  upstream_rate_limited: 429,
  permission_denied: 403,
  csrf_failed: 403,
  ip_not_allowed: 403,
  project_tag_required: 400,
  content_blocked: 400,
  approval_required: 403,
  budget_exceeded: 402,
  insufficient_credits: 402,
  not_found: 404,
  method_not_allowed: 405,
  upstream_error: 502,
  upstream_timeout: 504,
  stored_key_unreadable: 503,
  limits_unavailable: 503,
  internal_error: 500,
};

export interface AttemptSummary {
  provider: string;
  model: string;
  key_source: string;
  status: number | null;
  reason: string;
}

export interface GatewayErrorOptions {
  param?: string | null;
  retryAfterSeconds?: number;
  attempts?: AttemptSummary[];
  /** Further fields of the error object (`approval_id`). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly param: string | null;
  readonly retryAfterSeconds?: number;
  readonly attempts?: AttemptSummary[];
  readonly extra?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.status = STATUS[code];
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.attempts = options.attempts;
    this.extra = options.extra;
  }

  /** A copy whose message and attempt reasons went through `rewrite` (redaction); the cause is left behind. */
  withText(rewrite: (text: string) => string): GatewayError {
    return new GatewayError(this.code, rewrite(this.message), {
      param: this.param,
      retryAfterSeconds: this.retryAfterSeconds,
      attempts: this.attempts?.map((attempt) => ({ ...attempt, reason: rewrite(attempt.reason) })),
      extra: this.extra,
    });
  }
}

/** Any thrown value as a GatewayError; an unknown one is handed to `unexpected` (to log it) and becomes a bare internal_error. */
export function asGatewayError(error: unknown, unexpected?: (error: unknown) => void): GatewayError {
  if (error instanceof GatewayError) return error;
  unexpected?.(error);
  return new GatewayError("internal_error", "keyway hit an unexpected error; it has been logged");
}

export const invalidRequest = (message: string, param: string | null = null) =>
  new GatewayError("invalid_request", message, { param });
