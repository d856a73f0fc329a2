// The one error mapper: whatever is thrown becomes an error response in the client's dialect (keyway's own API
// answers in the OpenAI shape), with key material redacted.
import type { ClientDialect } from "../core/dialect.ts";
import { type GatewayError, asGatewayError as toGatewayError } from "../core/errors.ts";
import { openAIChat } from "../dialects/openai-chat/dialect.ts";
import { describeError, type Logger } from "../telemetry/logger.ts";
import { redactSecrets } from "../telemetry/redact.ts";

/** Any thrown value as a GatewayError; unknown ones are logged (redacted) and answered as a 500 with no detail. */
export function asGatewayError(error: unknown, logger?: Logger): GatewayError {
  return toGatewayError(error, (unexpected) => logger?.error("unexpected error", describeError(unexpected)));
}

export function errorResponse(
  error: GatewayError,
  headers: Record<string, string> = {},
  dialect: ClientDialect = openAIChat,
  secrets?: readonly (string | undefined)[],
): Response {
  const encoded = dialect.encodeError(error.withText((text) => redactSecrets(text, secrets)));
  const out: Record<string, string> = { "content-type": "application/json", ...headers };
  if (error.retryAfterSeconds !== undefined) out["retry-after"] = String(Math.ceil(error.retryAfterSeconds));
  return new Response(JSON.stringify(encoded.body), { status: encoded.status, headers: out });
}
