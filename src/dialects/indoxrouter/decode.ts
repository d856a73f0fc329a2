// IndoxRouter's request bodies as keyway's internal (OpenAI-shaped) calls: chat and completions as they are,
// embeddings' `text` as `input`, text-to-speech with OpenAI's default voice; `additional_params` merged in each,
// then checked by the OpenAI body schemas (keyway's fields byok_api_key, provider, routing kept for the read stage).
import type { TSchema } from "@sinclair/typebox";
import type { DecodedCall } from "../../core/dialect.ts";
import { invalidRequest } from "../../core/errors.ts";
import type { EndpointName } from "../../plugins/sdk.ts";
import { bodyValidator } from "../body-check.ts";
import { ChatBody, CompletionBody, EmbeddingBody, ImageBody, SpeechBody } from "../openai-chat/schemas.ts";
import { mergeAdditionalParams, namingMerged, wireObject } from "./merge.ts";

type Body = Record<string, unknown>;

/** The voice a text-to-speech call gets when the client names none (the IndoxRouter client sends it only when given). */
export const DEFAULT_VOICE = "alloy";

/** Per endpoint: how the merged body becomes the internal one, before the schema check. */
const RESHAPE: Partial<Record<EndpointName, (body: Body) => Body>> = {
  embeddings: (body) => {
    const { text, ...rest } = body;
    if (typeof text !== "string" && !(Array.isArray(text) && text.length > 0 && text.every((t) => typeof t === "string"))) {
      throw invalidRequest("'text' must be a string or a non-empty list of strings.", "text");
    }
    const format = rest.encoding_format;
    if (format !== undefined && format !== "float") {
      throw invalidRequest("'encoding_format' can only be 'float' here: the answer's data is lists of floats.", "encoding_format");
    }
    return { ...rest, input: text };
  },
  speech: (body) => ({ voice: DEFAULT_VOICE, ...body }),
};

const SCHEMAS: Partial<Record<EndpointName, TSchema>> = {
  chat: ChatBody,
  completions: CompletionBody,
  embeddings: EmbeddingBody,
  images: ImageBody,
  speech: SpeechBody,
};

/** The decoder of one endpoint's IndoxRouter body. */
export function indoxDecoder(endpoint: EndpointName): (wire: unknown) => DecodedCall {
  const schema = SCHEMAS[endpoint];
  if (!schema) throw new Error(`IndoxRouter has no body for the ${endpoint} endpoint`);
  const validate = bodyValidator(schema);
  const reshape = RESHAPE[endpoint] ?? ((body: Body) => body);
  return (wire) => {
    const { body, merged } = mergeAdditionalParams(wireObject(wire));
    const internal = namingMerged(merged, () => validate(reshape(body)) as Body);
    return { endpoint, body: internal };
  };
}
