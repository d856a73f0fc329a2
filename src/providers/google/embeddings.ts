// OpenAI embeddings <-> Gemini batchEmbedContents: one EmbedContentRequest per input, answered in order;
// `encoding_format: base64` is honoured here (little-endian float32, as OpenAI encodes it).
import { invalidRequest } from "../../core/errors.ts";
import type { EmbeddingRequest, JsonEndpoint, ProviderContext, UpstreamRequest } from "../../plugins/sdk.ts";
import { bareModel, googleHeaders, isRecord, modelMethodUrl } from "./wire.ts";

const TRANSLATED = new Set(["model", "input", "dimensions", "encoding_format"]);
const UNSUPPORTED = new Set(["user"]);

function textInputs(input: EmbeddingRequest["input"]): string[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((item): item is string => typeof item === "string")) return input;
  throw invalidRequest("Gemini embeds text: send input as a string or an array of strings, not token ids.", "input");
}

export function geminiEmbeddingsRequest(body: EmbeddingRequest, ctx: ProviderContext): UpstreamRequest {
  const model = `models/${bareModel(ctx.model)}`;
  const extra: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || value === undefined) continue;
    if (UNSUPPORTED.has(key)) dropped.push(key);
    else extra[key] = value; // per-request Gemini fields such as taskType or title
  }
  const requests = textInputs(body.input).map((text) => {
    const request: Record<string, unknown> = { model, content: { parts: [{ text }] }, ...extra };
    if (body.dimensions !== undefined) request.outputDimensionality = body.dimensions;
    return request;
  });
  return {
    url: modelMethodUrl(ctx, "batchEmbedContents"),
    method: "POST",
    headers: googleHeaders(ctx),
    body: JSON.stringify({ requests }),
    dropped: dropped.length > 0 ? dropped : undefined,
  };
}

export function float32Base64(values: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return Buffer.from(view.buffer).toString("base64");
}

function vectors(json: unknown): number[][] {
  const embeddings = isRecord(json) && Array.isArray(json.embeddings) ? json.embeddings : undefined;
  if (!embeddings) throw new Error("expected a BatchEmbedContentsResponse with embeddings");
  return embeddings.map((embedding) => {
    const values = isRecord(embedding) ? embedding.values : undefined;
    if (!Array.isArray(values) || !values.every((v): v is number => typeof v === "number")) {
      throw new Error("an embedding without numeric values");
    }
    return values;
  });
}

/** Token counts, when Gemini reports them; batchEmbedContents usually does not, and then they read 0. */
function promptTokens(json: unknown): number {
  const usage = isRecord(json) && isRecord(json.usageMetadata) ? json.usageMetadata : undefined;
  return typeof usage?.promptTokenCount === "number" ? usage.promptTokenCount : 0;
}

export function toOpenAIEmbeddings(json: unknown, ctx: ProviderContext, request: EmbeddingRequest) {
  const base64 = request.encoding_format === "base64";
  const tokens = promptTokens(json);
  return {
    object: "list",
    data: vectors(json).map((values, index) => ({ object: "embedding", index, embedding: base64 ? float32Base64(values) : values })),
    model: bareModel(ctx.model),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export const geminiEmbeddings: JsonEndpoint<EmbeddingRequest, unknown> = {
  toUpstream: geminiEmbeddingsRequest,
  fromUpstream: toOpenAIEmbeddings,
};
