// The client dialect contract: how one client wire format is decoded into keyway's internal call and how answers,
// stream chunks and errors are encoded back in it. The internal call and answer are OpenAI-shaped (adapters
// translate to and from that shape); a dialect only speaks to the client.
import type { ChatCompletionChunk, EndpointName, NativeFormat, StreamTranslator } from "../plugins/sdk.ts";
import type { GatewayError } from "./errors.ts";

/** How an upstream's stream arrives, as an adapter endpoint says it (`stream`): a named wire format or a translator. */
export type UpstreamStreamFormat = "openai-sse" | StreamTranslator;

/** A decoded request: the internal endpoint and body. keyway's own fields (byok_api_key, provider, routing) stay in
 * the body under their names; the read stage splits them off the same way for every dialect. */
export interface DecodedCall {
  endpoint: EndpointName;
  body: Record<string, unknown>;
  /** The client's own request, for a provider that speaks the dialect's format natively (see `NativeRequest`). */
  native?: NativeRequest;
  /**
   * The call costs nothing (a token count): no admission (credits, budgets, limits, approvals), nothing charged,
   * no usage row, no request log, no request metrics; only its spans and access log line.
   */
  unmetered?: boolean;
}

/**
 * A request in a format some providers speak themselves (Anthropic Messages to Anthropic): sent as the client wrote
 * it, with only the model replaced and keyway's fields removed, when the chosen provider declares the format
 * (`endpoints.native`); every other provider gets the internal body, translated.
 */
export interface NativeRequest {
  format: NativeFormat;
  /** The client's body, keyway's fields (byok_api_key, provider, routing) included: the read stage removes them. */
  body: Record<string, unknown>;
  /** The client's headers of this format that go upstream with it (`anthropic-beta`), lower-case names. */
  headers: Record<string, string>;
  /**
   * Fields of the client's body that only a provider speaking the format can honour (`previous_response_id`): a
   * call that names any is refused (400, naming them) by a provider that would need it translated.
   */
  nativeOnly?: string[];
  /**
   * Only a provider that speaks the format is called (a token count: translated, it would be a generation). When
   * the call's first candidate does not, nothing is sent upstream and the answer is keyway's estimate of the prompt's
   * tokens, the internal answer `{usage: {prompt_tokens}}` encoded by the dialect.
   */
  estimateElsewhere?: boolean;
}

/** Encodes one stream for the client: made once per stream, so it may keep state (an event sequence, block indexes). */
export interface StreamEncoder {
  /**
   * One internal chunk as the client's bytes, or nothing to send for it. Usage-only chunks (no choices) come here
   * too, whether or not the client asked for usage: the encoder decides what its client sees.
   */
  chunk(chunk: ChatCompletionChunk): Uint8Array | undefined;
  /** The bytes that end a complete stream. */
  end(): Uint8Array;
  /** The event that ends a failed stream. The error's text is already redacted. */
  error(error: GatewayError): Uint8Array;
}

/** What a stream encoder knows of its call. */
export interface StreamStart {
  /** The internal (OpenAI-shaped) body of the call. */
  request: Record<string, unknown>;
  /** The client asked for usage in the stream (OpenAI's `stream_options.include_usage`). */
  includeUsage: boolean;
  /**
   * The stream is the provider's own, passed through in the client's format: the encoder is asked only for a
   * failure event, which must continue that stream rather than start an event sequence of its own.
   */
  native?: boolean;
}

/** What keyway adds to a JSON answer, in its own terms; the dialect decides where it goes. */
export interface AnswerMeta {
  /** What the call was charged, in micro-USD. */
  chargedMicros: number;
  /** The answering key was the caller's (a per-request or stored key), not a platform key. */
  byok: boolean;
  /** The answering attempt's provider (as clients write it before '/') and upstream model id. */
  provider?: string;
  model?: string;
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
   * How the route reads the request body: JSON (the default), or multipart/form-data (a file upload), which reaches
   * `decode` as an object of its fields (a file as a File, a repeated field as an array).
   */
  readonly bodyFormat?: "json" | "multipart";
  /**
   * Checks a parsed JSON body and turns it into the internal call. Throws a GatewayError (invalid_request, with
   * the offending field as `param`) for a body the dialect refuses. May modify and return `body` itself.
   */
  decode(body: unknown, headers: Headers): DecodedCall;
  /** The internal (OpenAI-shaped) answer as the client's JSON body, with keyway's additions. May modify `result`. */
  encodeAnswer(result: Record<string, unknown>, meta: AnswerMeta): unknown;
  /** A fresh encoder for one stream of internal chunks. */
  streamEncoder(start: StreamStart): StreamEncoder;
  /** An error as the client's answer. The error's text is already redacted. */
  encodeError(error: GatewayError): EncodedError;
  /**
   * Whether an upstream stream in this format is already the dialect's own: its bytes then pass through untouched
   * (only error events are rewritten, to redact keys). Otherwise it is parsed into chunks and encoded.
   */
  passesThrough(format: UpstreamStreamFormat): boolean;
}
