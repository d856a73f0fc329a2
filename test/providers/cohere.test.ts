// Cohere through a real keyway: the shared contract, then embeddings, parameter translation and errors
// end to end, driven by the official `openai` client against the v2 mock.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import cohere from "../../src/providers/cohere/index.ts";
import { MockCohere } from "../fixtures/mock-cohere.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { providerContract } from "./contract.ts";

const KEY = "Xk3hQ9vRt2LmN8pWc5ZyA1sD4fG7jB0eU6iO3qTe";

providerContract({
  provider: "cohere",
  adapter: "cohere",
  key: KEY,
  chatModel: "command-r-plus-08-2024",
  startMock: () => new MockCohere({ keys: [KEY] }).start(),
});

describe("cohere end to end", () => {
  let mock: MockCohere;
  let gw: TestGateway;
  let client: OpenAI;
  const byok = { headers: { "x-byok-api-key": KEY } };

  beforeAll(async () => {
    mock = new MockCohere({ keys: [KEY] }).start();
    gw = await startGateway({ providers: { cohere: { adapter: "cohere", base_url: mock.url, timeout_ms: 3000 } } });
    client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.stop();
  });

  test("embeddings: the client's default (base64) comes back as the upstream's float vectors, with usage", async () => {
    const result = await client.embeddings.create({ model: "cohere/embed-english-v3.0", input: ["hello", "a longer text"] }, byok);
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toEqual([0.05000000074505806, 0.25, -0.5]);
    expect(result.data[1]?.index).toBe(1);
    expect(result.usage.prompt_tokens).toBe(6);
    expect(result.usage.total_tokens).toBe(6);
    const sent = mock.last();
    expect(sent.path).toBe("/v2/embed");
    expect(sent.body).toEqual({
      model: "embed-english-v3.0",
      texts: ["hello", "a longer text"],
      input_type: "search_document",
      embedding_types: ["float"],
    });
  });

  test("embeddings: float format, dimensions and a client input_type pass as Cohere fields", async () => {
    const result = await client.embeddings.create(
      { model: "cohere/embed-v4.0", input: "query text", encoding_format: "float", dimensions: 256, input_type: "search_query" } as OpenAI.EmbeddingCreateParams,
      byok,
    );
    expect(result.data[0]?.embedding).toEqual([0.1, 0.25, -0.5]);
    expect(result.usage.prompt_tokens).toBe(3);
    expect(mock.last().body).toMatchObject({ texts: ["query text"], input_type: "search_query", output_dimension: 256 });
  });

  test("chat parameters reach /v2/chat under Cohere's names; the ones it lacks are dropped and named", async () => {
    const { response } = await client.chat.completions
      .create(
        {
          model: "cohere/command-a-03-2025",
          messages: [{ role: "user", content: "hi" }],
          max_completion_tokens: 50,
          top_p: 0.5,
          stop: "END",
          seed: 7,
          n: 1,
          user: "u-1",
          logit_bias: { "50256": -100 },
          response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } },
          k: 40,
        } as OpenAI.ChatCompletionCreateParamsNonStreaming,
        byok,
      )
      .withResponse();
    expect(response.headers.get("x-keyway-dropped-params")?.split(",").sort()).toEqual(["logit_bias", "n", "user"]);
    expect(mock.last().body).toEqual({
      model: "command-a-03-2025",
      messages: [{ role: "user", content: "hi" }],
      stream: false,
      max_tokens: 50,
      p: 0.5,
      stop_sequences: ["END"],
      seed: 7,
      response_format: { type: "json_object", json_schema: { type: "object" } },
      k: 40,
    });
  });

  test("Cohere's 404 for a model it does not know is model_not_available, so the client sees model_not_found", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "cohere/command-nope", messages: [{ role: "user", content: "x" }], byok_api_key: KEY });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe("model_not_found");
    expect(body.error.attempts[0].reason).toStartWith("model_not_available");
    expect(body.error.message).toContain("command-nope");
  });

  test("checkKey is a GET of one model: 200 for a good key, 401 for a bad one", async () => {
    const check = (apiKey: string) => {
      const upstream = cohere.checkKey?.({ provider: "cohere", model: "", baseUrl: mock.url, apiKey, stream: false, options: {} });
      if (!upstream) throw new Error("no checkKey");
      return fetch(upstream.url, { method: upstream.method, headers: upstream.headers });
    };
    const good = await check(KEY);
    expect(good.status).toBe(200);
    expect(mock.last()).toMatchObject({ method: "GET", path: "/v1/models", search: "?page_size=1" });
    expect((await check("wrong-key")).status).toBe(401);
  });

  test("a bare command- model resolves to cohere", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "command-r-08-2024", messages: [{ role: "user", content: "prefix" }], byok_api_key: KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("cohere");
  });
});
