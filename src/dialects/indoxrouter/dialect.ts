// The IndoxRouter dialect: the wire protocol of IndoxRouter's Python client (published as `indoxhub`) under
// /api/v1/. One dialect per endpoint, sharing the error shape and the stream encoder; every upstream stream is
// parsed and re-encoded (never passed through), so no chunk without choices reaches the client.
import type { ClientDialect } from "../../core/dialect.ts";
import type { EndpointName } from "../../plugins/sdk.ts";
import { indoxAnswer } from "./answer.ts";
import { indoxDecoder } from "./decode.ts";
import { indoxStreamEncoder } from "./stream.ts";
import { encodeError } from "./wire-errors.ts";

function indoxDialect(name: string, endpoint: EndpointName): ClientDialect {
  const decode = indoxDecoder(endpoint);
  return {
    name,
    endpoint,
    decode: (body) => decode(body),
    encodeAnswer: indoxAnswer(endpoint),
    streamEncoder: indoxStreamEncoder,
    encodeError,
    passesThrough: () => false,
  };
}

/** POST /api/v1/chat/completions. */
export const indoxChat = indoxDialect("indoxrouter-chat", "chat");
/** POST /api/v1/completions. */
export const indoxCompletions = indoxDialect("indoxrouter-completions", "completions");
/** POST /api/v1/embeddings: `text` for OpenAI's `input`. */
export const indoxEmbeddings = indoxDialect("indoxrouter-embeddings", "embeddings");
/** POST /api/v1/images/generations. */
export const indoxImages = indoxDialect("indoxrouter-images", "images");
/** POST /api/v1/audio/tts/generations: the audio comes back as JSON (speech-answer.ts), encoded by the route. */
export const indoxSpeech = indoxDialect("indoxrouter-speech", "speech");
