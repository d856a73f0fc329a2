// Unit tests: OpenAI embeddings requests -> batchEmbedContents, and its answer back in OpenAI's shape.
import { describe, expect, test } from "bun:test";
import type { EmbeddingRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { float32Base64, geminiEmbeddingsRequest, toOpenAIEmbeddings } from "../../../src/providers/google/embeddings.ts";

const ctx: ProviderContext = {
  provider: "google",
  model: "text-embedding-004",
  baseUrl: "https://generativelanguage.googleapis.com",
  apiKey: "AIzaSyTest",
  stream: false,
  options: {},
};

describe("google embeddings request", () => {
  test("one request per input, model as models/<id>, dimensions as outputDimensionality", () => {
    const upstream = geminiEmbeddingsRequest({ model: "text-embedding-004", input: ["a", "b"], dimensions: 256, user: "u" }, ctx);
    expect(upstream.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents");
    expect(upstream.headers["x-goog-api-key"]).toBe("AIzaSyTest");
    expect(JSON.parse(upstream.body ?? "")).toEqual({
      requests: [
        { model: "models/text-embedding-004", content: { parts: [{ text: "a" }] }, outputDimensionality: 256 },
        { model: "models/text-embedding-004", content: { parts: [{ text: "b" }] }, outputDimensionality: 256 },
      ],
    });
    expect(upstream.dropped).toEqual(["user"]);
  });

  test("a single string input; Gemini's own fields (taskType) ride along on each request", () => {
    const upstream = geminiEmbeddingsRequest({ model: "text-embedding-004", input: "x", taskType: "RETRIEVAL_QUERY" }, ctx);
    expect(JSON.parse(upstream.body ?? "")).toEqual({ requests: [{ model: "models/text-embedding-004", content: { parts: [{ text: "x" }] }, taskType: "RETRIEVAL_QUERY" }] });
  });

  test("token-id input is invalid_request on input", () => {
    expect(() => geminiEmbeddingsRequest({ model: "text-embedding-004", input: [1, 2, 3] } as EmbeddingRequest, ctx)).toThrow(/token ids/);
  });
});

describe("google embeddings response", () => {
  const answer = { embeddings: [{ values: [0.5, -1] }, { values: [0.25, 2] }] };

  test("embeddings come back in order as an OpenAI list; usage is 0 when Gemini reports none", () => {
    expect(toOpenAIEmbeddings(answer, ctx, { model: "text-embedding-004", input: ["a", "b"] })).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.5, -1] },
        { object: "embedding", index: 1, embedding: [0.25, 2] },
      ],
      model: "text-embedding-004",
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });

  test("encoding_format base64 is little-endian float32, as the openai client decodes it", () => {
    const result = toOpenAIEmbeddings(answer, ctx, { model: "text-embedding-004", input: ["a", "b"], encoding_format: "base64" });
    const encoded = result.data[0]?.embedding as string;
    expect(encoded).toBe(float32Base64([0.5, -1]));
    const bytes = Buffer.from(encoded, "base64");
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -1]);
  });

  test("a body without embeddings is untranslatable", () => {
    expect(() => toOpenAIEmbeddings({}, ctx, { model: "m", input: "a" })).toThrow(/embeddings/);
  });
});
