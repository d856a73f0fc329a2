// OpenAI's wire format towards the client: the error object, SSE chunk events, the stream's end, and keyway's
// additions to a JSON answer (`usage.cost` in USD, `byok_api_key`).
import type { AnswerMeta, EncodedError, StreamEncoder, StreamStart } from "../../core/dialect.ts";
import type { AttemptSummary, GatewayError } from "../../core/errors.ts";
import type { ChatCompletionChunk } from "../../plugins/sdk.ts";
import { microsToUsd } from "../../usage/money.ts";

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string; attempts?: AttemptSummary[]; [field: string]: unknown };
}

const encoder = new TextEncoder();
const STREAM_END = encoder.encode("data: [DONE]\n\n");

/** OpenAI's `type` for each status family. */
export function errorTypeFor(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status === 402) return "insufficient_quota";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/** The whole error answer: the error object with the error's further fields and the attempts made. */
export function errorBody(error: GatewayError): OpenAIErrorBody {
  const body: OpenAIErrorBody = { error: { message: error.message, type: errorTypeFor(error.status), param: error.param, code: error.code } };
  if (error.extra) Object.assign(body.error, error.extra);
  if (error.attempts) body.error.attempts = error.attempts;
  return body;
}

export function encodeError(error: GatewayError): EncodedError {
  return { status: error.status, body: errorBody(error) };
}

/** The event that ends a failed stream: the error object alone (message, type, param, code). */
export function encodeStreamError(error: GatewayError): Uint8Array {
  const event = { error: { message: error.message, type: errorTypeFor(error.status), param: error.param, code: error.code } };
  return encoder.encode(`data: ${JSON.stringify(event)}\n\n`);
}

export function encodeChunk(chunk: ChatCompletionChunk): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`);
}

export function encodeStreamEnd(): Uint8Array {
  return STREAM_END;
}

/** OpenAI's stream: each chunk an event; a usage-only chunk only when the client asked for usage. */
export function openAIStreamEncoder({ includeUsage }: StreamStart): StreamEncoder {
  return {
    chunk: (chunk) => (!includeUsage && chunk.choices.length === 0 && chunk.usage ? undefined : encodeChunk(chunk)),
    end: encodeStreamEnd,
    error: encodeStreamError,
  };
}

/** The answer as it is, with the charge in USD on its usage (when it has one) and whether the caller's key answered. */
export function encodeAnswer(result: Record<string, unknown>, meta: AnswerMeta): Record<string, unknown> {
  const usage = result.usage;
  if (typeof usage === "object" && usage !== null) result.usage = { ...usage, cost: microsToUsd(meta.chargedMicros) };
  result.byok_api_key = meta.byok;
  return result;
}
