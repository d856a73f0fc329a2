// The OpenAI dialect: OpenAI's request bodies are the internal call as they are (once checked), answers and errors
// go back in OpenAI's shape, and OpenAI-format upstream streams pass through byte for byte. One dialect per endpoint,
// sharing every encoder; they differ only in the body schema and the endpoint they call.
import type { TSchema } from "@sinclair/typebox";
import type { ClientDialect, UpstreamStreamFormat } from "../../core/dialect.ts";
import type { EndpointName } from "../../plugins/sdk.ts";
import { bodyValidator } from "../body-check.ts";
import { encodeAnswer, encodeError, openAIStreamEncoder } from "./encode.ts";
import { ChatBody, CompletionBody, EmbeddingBody, ImageBody, ModerationBody, SpeechBody } from "./schemas.ts";

/** OpenAI's moderation model when the request names none. */
export const DEFAULT_MODERATION_MODEL = "omni-moderation-latest";

/** `defaults`: fields OpenAI fills in when the client leaves them out (set after the check, before routing). */
function openAIDialect(name: string, endpoint: EndpointName, schema: TSchema, defaults: Record<string, unknown> = {}): ClientDialect {
  const validate = bodyValidator(schema);
  // The checked body is the call's own object: copied only for a dialect that fills fields in.
  const fills = Object.keys(defaults).length > 0;
  return {
    name,
    endpoint,
    decode: (body) => {
      const checked = validate(body) as Record<string, unknown>;
      return { endpoint, body: fills ? { ...defaults, ...checked } : checked };
    },
    encodeAnswer,
    streamEncoder: openAIStreamEncoder,
    encodeError,
    passesThrough: (format: UpstreamStreamFormat) => format === "openai-sse",
  };
}

/** POST /v1/chat/completions. */
export const openAIChat = openAIDialect("openai-chat", "chat", ChatBody);
/** The other OpenAI endpoints: the chat dialect's encoders over their own body schemas. */
export const openAICompletions = openAIDialect("openai-completions", "completions", CompletionBody);
export const openAIEmbeddings = openAIDialect("openai-embeddings", "embeddings", EmbeddingBody);
export const openAIImages = openAIDialect("openai-images", "images", ImageBody);
export const openAISpeech = openAIDialect("openai-speech", "speech", SpeechBody);
export const openAIModerations = openAIDialect("openai-moderations", "moderations", ModerationBody, { model: DEFAULT_MODERATION_MODEL });
