// Anthropic's error shape towards the client: {type: "error", error: {type, message}}, the error type picked by the
// HTTP status as Anthropic picks it; keyway's own code, param and further fields ride along in the error object.
import type { EncodedError } from "../../core/dialect.ts";
import type { GatewayError } from "../../core/errors.ts";
import { bytes, sseEvent } from "./wire.ts";

const TYPES: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/** Anthropic's error `type` for a status: its own list, else invalid_request_error for 4xx and api_error for 5xx. */
export function anthropicErrorType(status: number): string {
  return TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string; code: string; param?: string; [field: string]: unknown };
}

/** The error object: Anthropic's type and message, then keyway's code, param, further fields and attempts. */
export function anthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  const body: AnthropicErrorBody = { type: "error", error: { ...error.extra, type: anthropicErrorType(error.status), message: error.message, code: error.code } };
  if (error.param !== null) body.error.param = error.param;
  if (error.attempts) body.error.attempts = error.attempts;
  return body;
}

export function encodeAnthropicError(error: GatewayError): EncodedError {
  return { status: error.status, body: anthropicErrorBody(error) };
}

/** A failed stream ends with Anthropic's `error` event. */
export function encodeAnthropicStreamError(error: GatewayError): Uint8Array {
  return bytes(sseEvent(anthropicErrorBody(error)));
}
