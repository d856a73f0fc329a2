// The one error mapper: whatever is thrown becomes an OpenAI-shaped error response, with key material redacted.
import { type AttemptSummary, type GatewayError, asGatewayError as toGatewayError, errorTypeFor } from "../core/errors.ts";
import { describeError, type Logger } from "../telemetry/logger.ts";
import { redactSecrets } from "../telemetry/redact.ts";

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string; attempts?: AttemptSummary[]; [field: string]: unknown };
}

export function errorBody(error: GatewayError, secrets?: readonly (string | undefined)[]): ErrorBody {
  const body: ErrorBody = {
    error: {
      message: redactSecrets(error.message, secrets),
      type: errorTypeFor(error.status),
      param: error.param,
      code: error.code,
    },
  };
  if (error.extra) Object.assign(body.error, error.extra);
  if (error.attempts) body.error.attempts = error.attempts.map((a) => ({ ...a, reason: redactSecrets(a.reason, secrets) }));
  return body;
}

/** Any thrown value as a GatewayError; unknown ones are logged (redacted) and answered as a 500 with no detail. */
export function asGatewayError(error: unknown, logger?: Logger): GatewayError {
  return toGatewayError(error, (unexpected) => logger?.error("unexpected error", describeError(unexpected)));
}

export function errorResponse(
  error: GatewayError,
  headers: Record<string, string> = {},
  secrets?: readonly (string | undefined)[],
): Response {
  const out: Record<string, string> = { "content-type": "application/json", ...headers };
  if (error.retryAfterSeconds !== undefined) out["retry-after"] = String(Math.ceil(error.retryAfterSeconds));
  return new Response(JSON.stringify(errorBody(error, secrets)), { status: error.status, headers: out });
}
