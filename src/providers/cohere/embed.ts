// OpenAI embeddings <-> Cohere v2 /v2/embed. Cohere needs an `input_type`; keyway sends "search_document"
// (embeddings meant for storing and searching) unless the client sends its own `input_type`, which passes through.
import type { EmbeddingRequest, JsonEndpoint, ProviderContext, UpstreamRequest } from "../../plugins/sdk.ts";
import { cohereHeaders } from "./chat-request.ts";
import { arrayAt, numberAt, recordAt } from "./wire.ts";

export const DEFAULT_INPUT_TYPE = "search_document";

const TRANSLATED = new Set(["model", "input", "dimensions", "encoding_format", "embedding_types"]);
const UNSUPPORTED = ["user"];

function textsOf(input: EmbeddingRequest["input"]): string[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((item): item is string => typeof item === "string")) return input;
  throw new Error("Cohere embeds text: send input as a string or an array of strings, not token ids");
}

export function toCohereEmbedRequest(request: EmbeddingRequest, ctx: ProviderContext): UpstreamRequest {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (!TRANSLATED.has(key) && !UNSUPPORTED.includes(key)) body[key] = value;
  }
  body.model = ctx.model;
  body.texts = textsOf(request.input);
  body.input_type ??= DEFAULT_INPUT_TYPE;
  // Floats always: base64, when asked, is made from them in OpenAI's format (little-endian float32).
  body.embedding_types = ["float"];
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  const dropped = UNSUPPORTED.filter((param) => param in request);
  return {
    url: `${ctx.baseUrl}/v2/embed`,
    headers: cohereHeaders(ctx),
    body: JSON.stringify(body),
    dropped: dropped.length > 0 ? dropped : undefined,
  };
}

/** OpenAI's base64 embedding: the vector as little-endian float32 bytes. */
export function float32Base64(vector: number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return Buffer.from(view.buffer).toString("base64");
}

export function fromCohereEmbed(json: unknown, ctx: ProviderContext, request: EmbeddingRequest) {
  const vectors = arrayAt(recordAt(json, "embeddings"), "float");
  if (!vectors) throw new Error("the answer has no embeddings.float");
  const base64 = request.encoding_format === "base64";
  const meta = recordAt(json, "meta");
  const tokens = numberAt(recordAt(meta, "billed_units"), "input_tokens") ?? numberAt(recordAt(meta, "tokens"), "input_tokens") ?? 0;
  return {
    object: "list",
    data: vectors.map((vector, index) => {
      const values = Array.isArray(vector) ? vector.filter((v): v is number => typeof v === "number") : [];
      return { object: "embedding", index, embedding: base64 ? float32Base64(values) : values };
    }),
    model: ctx.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export const cohereEmbeddings: JsonEndpoint<EmbeddingRequest, unknown> = {
  toUpstream: toCohereEmbedRequest,
  fromUpstream: fromCohereEmbed,
};
