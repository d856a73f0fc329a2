// OpenAI embeddings requests and Cohere v2 /v2/embed answers.
import { describe, expect, test } from "bun:test";
import type { ProviderContext } from "../../../src/plugins/sdk.ts";
import { float32Base64, fromCohereEmbed, toCohereEmbedRequest } from "../../../src/providers/cohere/embed.ts";

const ctx: ProviderContext = { provider: "cohere", model: "embed-english-v3.0", baseUrl: "https://api.cohere.com", apiKey: "k", stream: false, options: {} };
const ANSWER = {
  id: "da6e531f-54c6-4a73-bf92-f60566d8d753",
  texts: ["hello", "goodbye"],
  embeddings: { float: [[0.016296387, -0.008354187, -0.04699707], [-0.041229248, 0.0154953, 0.02456665]] },
  meta: { api_version: { version: "2" }, billed_units: { input_tokens: 2 } },
};

describe("cohere embeddings", () => {
  test("request: texts, default input_type, float embeddings, output_dimension; user dropped", () => {
    const upstream = toCohereEmbedRequest({ model: "cohere/embed-english-v3.0", input: "hello", dimensions: 512, encoding_format: "base64", user: "u" }, ctx);
    expect(upstream.url).toBe("https://api.cohere.com/v2/embed");
    expect(JSON.parse(upstream.body ?? "")).toEqual({
      model: "embed-english-v3.0",
      texts: ["hello"],
      input_type: "search_document",
      embedding_types: ["float"],
      output_dimension: 512,
    });
    expect(upstream.dropped).toEqual(["user"]);
  });

  test("request: a client input_type and other Cohere fields pass through", () => {
    const upstream = toCohereEmbedRequest({ model: "m", input: ["a", "b"], input_type: "classification", truncate: "END" }, ctx);
    expect(JSON.parse(upstream.body ?? "")).toMatchObject({ texts: ["a", "b"], input_type: "classification", truncate: "END" });
  });

  test("request: token ids are refused", () => {
    expect(() => toCohereEmbedRequest({ model: "m", input: [1, 2, 3] }, ctx)).toThrow("not token ids");
  });

  test("answer: an OpenAI list with float vectors and usage from billed_units", () => {
    expect(fromCohereEmbed(ANSWER, ctx, { model: "m", input: ["hello", "goodbye"], encoding_format: "float" })).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.016296387, -0.008354187, -0.04699707] },
        { object: "embedding", index: 1, embedding: [-0.041229248, 0.0154953, 0.02456665] },
      ],
      model: "embed-english-v3.0",
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });

  test("answer: base64 is little-endian float32, as OpenAI sends it", () => {
    const answer = fromCohereEmbed(ANSWER, ctx, { model: "m", input: "hello", encoding_format: "base64" });
    const encoded = answer.data[0]?.embedding;
    expect(typeof encoded).toBe("string");
    expect(encoded).toBe(float32Base64([0.016296387, -0.008354187, -0.04699707]));
    const bytes = Buffer.from(String(encoded), "base64");
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded.map((v) => Number(v.toFixed(6)))).toEqual([0.016296, -0.008354, -0.046997]);
  });
});
