// OpenAI's Responses API (POST /v1/responses) as a client dialect: the body is checked and translated to the internal
// chat call, the client's own body goes along for OpenAI (answered natively, byte for byte), and for every other
// provider the chat answer and stream are encoded as a `response` object and the Responses event stream. Errors are
// OpenAI's error object, as on every OpenAI endpoint.
import type { ClientDialect } from "../../core/dialect.ts";
import { bodyValidator } from "../body-check.ts";
import { encodeError } from "../openai-chat/encode.ts";
import { decodeResponses } from "./decode.ts";
import { encodeResponsesAnswer } from "./encode-answer.ts";
import { ResponsesBody } from "./schemas.ts";
import { responsesStreamEncoder } from "./stream-encoder.ts";

const validate = bodyValidator(ResponsesBody);

export const openAIResponses: ClientDialect = {
  name: "openai-responses",
  endpoint: "chat",
  decode: (body) => decodeResponses(validate(body) as Record<string, unknown>),
  encodeAnswer: encodeResponsesAnswer,
  streamEncoder: responsesStreamEncoder,
  encodeError,
  // No upstream chat stream is a Responses stream: OpenAI's own Responses stream is relayed natively instead.
  passesThrough: () => false,
};
