// The Anthropic Messages dialect (POST /v1/messages): to Anthropic the client's own body goes as it is (native),
// to every other provider it is translated to the internal chat call, and answers, streams and errors come back in
// Anthropic's wire format. No upstream stream format is this dialect's own: Anthropic's passes natively.
import type { ClientDialect } from "../../core/dialect.ts";
import { decodeCountTokensRequest, decodeMessagesRequest } from "./decode.ts";
import { encodeMessageAnswer } from "./encode-answer.ts";
import { encodeAnthropicError } from "./errors.ts";
import { anthropicStreamEncoder } from "./stream-encoder.ts";

export const anthropicMessages: ClientDialect = {
  name: "anthropic-messages",
  endpoint: "chat",
  decode: decodeMessagesRequest,
  encodeAnswer: encodeMessageAnswer,
  streamEncoder: anthropicStreamEncoder,
  encodeError: encodeAnthropicError,
  passesThrough: () => false,
};

/**
 * POST /v1/messages/count_tokens: the prompt checked like a Messages request's, an unmetered call. A provider speaking
 * Anthropic's API answers it natively; for any other, the gateway's estimate (`{usage: {prompt_tokens}}`) is
 * encoded here as Anthropic's `{input_tokens}`. It never streams.
 */
export const anthropicCountTokens: ClientDialect = {
  ...anthropicMessages,
  name: "anthropic-count-tokens",
  decode: decodeCountTokensRequest,
  encodeAnswer: (result) => ({ input_tokens: (result.usage as { prompt_tokens?: number } | undefined)?.prompt_tokens ?? 0 }),
};
