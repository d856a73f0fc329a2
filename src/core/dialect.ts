// The client dialect contract: how one client wire format is decoded into keyway's internal call and how answers,
// stream chunks and errors are encoded back in it. The internal call and answer are OpenAI-shaped (adapters
// translate to and from that shape); a dialect only speaks to the client.
import type { ChatCompletionChunk, EndpointName, StreamTranslator } from "../plugins/sdk.ts";
import type { GatewayError } from "./errors.ts";

/** How an upstream's stream arrives, as an adapter endpoint says it (`stream`): a named wire format or a translator. */
export type UpstreamStreamFormat = "openai-sse" | StreamTranslator;

/** A decoded request: the internal endpoint and body. keyway's own fields (byok_api_key, provider, routing) stay in
 * the body under their names; the read stage splits them off the same way for every dialect. */
export interface DecodedCall {
  endpoint: EndpointName;
  body: Record<string, unknown>;
}

/** What keyway adds to a JSON answer, in its own terms; the dialect decides where it goes. */
export interface AnswerMeta {
  /** What the call was charged, in micro-USD. */
  chargedMicros: number;
  /** The answering key was the caller's (a per-request or stored key), not a platform key. */
  byok: boolean;
}

/** An error as the client's HTTP answer: status and JSON body. */
export interface EncodedError {
  status: number;
  body: unknown;
}

export interface ClientDialect {
  /** Names the dialect in logs and docs (`openai-chat`). */
  readonly name: string;
  /** The internal endpoint the dialect's route calls. */
  readonly endpoint: EndpointName;
  /**
   * Checks a parsed JSON body and turns it into the internal call. Throws a GatewayError (invalid_request, with
   * the offending field as `param`) for a body the dialect refuses. May modify and return `body` itself.
   */
  decode(body: unknown, headers: Headers): DecodedCall;
  /** The internal (OpenAI-shaped) answer as the client's JSON body, with keyway's additions. May modify `result`. */
  encodeAnswer(result: Record<string, unknown>, meta: AnswerMeta): unknown;
  /** One internal stream chunk as the client's stream bytes (a whole event). */
  encodeChunk(chunk: ChatCompletionChunk): Uint8Array;
  /** The bytes that end a complete stream. */
  encodeStreamEnd(): Uint8Array;
  /** The event that ends a failed stream. The error's text is already redacted. */
  encodeStreamError(error: GatewayError): Uint8Array;
  /** An error as the client's answer. The error's text is already redacted. */
  encodeError(error: GatewayError): EncodedError;
  /**
   * Whether an upstream stream in this format is already the dialect's own: its bytes then pass through untouched
   * (only error events are rewritten, to redact keys). Otherwise it is parsed into chunks and encoded.
   */
  passesThrough(format: UpstreamStreamFormat): boolean;
}
