// IndoxRouter's error shape: the HTTP status picks the client's exception and a top-level `detail` string is its
// message; keyway's code, param and further fields ride along (the client reads only `detail`). Streams end a
// failure with an `{"error": ...}` event, which the client raises.
import type { EncodedError } from "../../core/dialect.ts";
import type { GatewayError } from "../../core/errors.ts";

const encoder = new TextEncoder();

export interface IndoxErrorBody {
  detail: string;
  code: string;
  param: string | null;
  [field: string]: unknown;
}

export function errorBody(error: GatewayError): IndoxErrorBody {
  const body: IndoxErrorBody = { detail: error.message, code: error.code, param: error.param };
  if (error.extra) for (const [key, value] of Object.entries(error.extra)) if (!(key in body)) body[key] = value;
  if (error.attempts) body.attempts = error.attempts;
  return body;
}

export function encodeError(error: GatewayError): EncodedError {
  return { status: error.status, body: errorBody(error) };
}

/** The event that ends a failed stream: `{"error": {message, code, param}}`. */
export function streamErrorEvent(error: GatewayError): Uint8Array {
  const event = { error: { message: error.message, code: error.code, param: error.param } };
  return encoder.encode(`data: ${JSON.stringify(event)}\n\n`);
}
