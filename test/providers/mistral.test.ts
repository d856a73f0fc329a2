// Mistral through a real keyway, against MockOpenAI shaped like api.mistral.ai/v1: streams end with usage on
// the last chunk (Mistral refuses stream_options), embeddings honour encoding_format and output_dimension.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { float32Base64 } from "../../src/providers/cohere/embed.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { providerContract } from "./contract.ts";

const KEY = "q7Wm2ZbVnR4tYc8LkD1sHf6JgP3xNe0A";

/** Mistral's differences from OpenAI that keyway relies on. */
class MockMistral extends MockOpenAI {
  /** Mistral sends usage on its last chunk, uninvited. */
  override chatChunks(body: Record<string, unknown>): Record<string, unknown>[] {
    const chunks = super.chatChunks({ ...body, stream_options: undefined });
    const last = chunks.at(-1);
    if (last) last.usage = { prompt_tokens: 9, total_tokens: 9 + chunks.length, completion_tokens: chunks.length };
    return chunks;
  }

  /** Mistral honours output_dimension and, like OpenAI, answers base64 strings when encoding_format asks. */
  override embeddings(body: Record<string, unknown>) {
    const answer = super.embeddings(body);
    const size = typeof body.output_dimension === "number" ? body.output_dimension : 3;
    const data = answer.data.map((item) => {
      const vector = Array.from({ length: size }, (_, i) => item.embedding[i % 3] ?? 0);
      // the base mock types vectors as number[]; a base64 answer is a string on the wire
      return { ...item, embedding: (body.encoding_format === "base64" ? float32Base64(vector) : vector) as number[] };
    });
    return { ...answer, data };
  }
}

providerContract({
  provider: "mistral",
  adapter: "mistral",
  key: KEY,
  chatModel: "mistral-large-latest",
  startMock: () => new MockMistral({ keys: [KEY] }).start(),
});

describe("mistral end to end", () => {
  let mock: MockMistral;
  let gw: TestGateway;
  let client: OpenAI;
  const byok = { headers: { "x-byok-api-key": KEY } };

  beforeAll(async () => {
    mock = new MockMistral({ keys: [KEY] }).start();
    gw = await startGateway({ providers: { mistral: { adapter: "mistral", base_url: mock.url, timeout_ms: 3000 } } });
    client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.stop();
  });

  test("embeddings through the openai client: vectors and usage", async () => {
    const result = await client.embeddings.create({ model: "mistral/mistral-embed", input: ["hello", "bonjour!"] }, byok);
    expect(result.data.map((d) => d.embedding)).toEqual([
      [0.05000000074505806, 0.25, -0.5],
      [0.07999999821186066, 0.25, -0.5],
    ]);
    expect(result.usage).toMatchObject({ prompt_tokens: 6, total_tokens: 6 });
    expect(mock.last().path).toBe("/v1/embeddings");
    expect(mock.last().body).toEqual({ model: "mistral-embed", input: ["hello", "bonjour!"], encoding_format: "base64" });
  });

  test("embeddings: dimensions is sent as output_dimension", async () => {
    const result = await client.embeddings.create({ model: "mistral/mistral-embed", input: "x", dimensions: 4, encoding_format: "float" }, byok);
    expect(result.data[0]?.embedding).toHaveLength(4);
    expect(mock.last().body).toEqual({ model: "mistral-embed", input: "x", output_dimension: 4, encoding_format: "float" });
  });

  test("chat: seed is random_seed, max_completion_tokens is max_tokens; user and logit_bias are dropped and named", async () => {
    const { response } = await client.chat.completions
      .create(
        {
          model: "mistral/mistral-small-latest",
          messages: [{ role: "user", content: "hi" }],
          seed: 42,
          max_completion_tokens: 64,
          user: "u-1",
          logit_bias: { "1": 1 },
          safe_prompt: true,
        } as OpenAI.ChatCompletionCreateParamsNonStreaming,
        byok,
      )
      .withResponse();
    expect(response.headers.get("x-keyway-dropped-params")?.split(",").sort()).toEqual(["logit_bias", "user"]);
    expect(mock.last().body).toEqual({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "hi" }],
      random_seed: 42,
      max_tokens: 64,
      safe_prompt: true,
    });
  });

  test("streamed chat never sends stream_options, yet the client gets its usage", async () => {
    const stream = await client.chat.completions.create(
      { model: "mistral/mistral-small-latest", messages: [{ role: "user", content: "count" }], stream: true, stream_options: { include_usage: true } },
      byok,
    );
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.prompt_tokens).toBe(9);
    expect(mock.last().body).not.toHaveProperty("stream_options");
    expect(mock.last().body?.stream).toBe(true);
  });

  test("images are not offered: 400 invalid_request naming mistral and images", async () => {
    const error = await client.images.generate({ model: "mistral/mistral-large-latest", prompt: "a cat" }, byok).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe("invalid_request");
    expect(apiError.message).toContain("mistral");
    expect(apiError.message).toContain("images");
  });

  test("completions are not offered either (FIM is not OpenAI's completions shape)", async () => {
    const res = await gw.post("/v1/completions", { model: "mistral/codestral-latest", prompt: "def f(", byok_api_key: KEY });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("completions");
  });
});
