// The google adapter end to end: the shared provider contract, then embeddings, images and request details
// through a real keyway and the official `openai` client against the mock Gemini API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { MOCK_PNG_BASE64, MockGoogle } from "../fixtures/mock-google.ts";
import google from "../../src/providers/google/index.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { providerContract } from "./contract.ts";

const KEY = "AIzaSyContract000000000000000000000001";

providerContract({
  provider: "google",
  adapter: "google",
  key: KEY,
  chatModel: "gemini-2.0-flash",
  startMock: () => new MockGoogle().start(),
});

describe("google adapter through keyway", () => {
  let mock: MockGoogle;
  let gw: TestGateway;
  let client: OpenAI;
  const byok = { byok_api_key: KEY } as Record<string, unknown>;

  beforeAll(async () => {
    mock = new MockGoogle().start();
    gw = await startGateway({ providers: { google: { adapter: "google", base_url: mock.url, timeout_ms: 3000 } } });
    client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.stop();
  });

  test("chat goes to generateContent with the key in x-goog-api-key, never in the URL", async () => {
    const { response } = await client.chat.completions
      .create({ model: "google/gemini-2.0-flash", messages: [{ role: "user", content: "hi" }], user: "u-1", ...byok })
      .withResponse();
    const call = mock.last();
    expect(call.path).toBe("/v1beta/models/gemini-2.0-flash:generateContent");
    expect(call.search).toBe("");
    expect(call.headers["x-goog-api-key"]).toBe(KEY);
    expect(call.body?.contents).toEqual([{ role: "user", parts: [{ text: "hi" }] }]);
    expect(response.headers.get("x-keyway-dropped-params")).toBe("user");
  });

  test("streamed chat goes to streamGenerateContent?alt=sse", async () => {
    const stream = await client.chat.completions.create({ model: "google/gemini-2.0-flash", messages: [{ role: "user", content: "hi" }], stream: true, ...byok });
    for await (const _ of stream) {
      // drain
    }
    expect(mock.last().path).toBe("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
    expect(mock.last().search).toBe("?alt=sse");
  });

  test("embeddings with google/text-embedding-004 (the client's default base64 encoding decodes)", async () => {
    const result = await client.embeddings.create({ model: "google/text-embedding-004", input: ["hello", "keyway!"], ...byok });
    const call = mock.last();
    expect(call.path).toBe("/v1beta/models/text-embedding-004:batchEmbedContents");
    expect(call.body).toEqual({
      requests: [
        { model: "models/text-embedding-004", content: { parts: [{ text: "hello" }] } },
        { model: "models/text-embedding-004", content: { parts: [{ text: "keyway!" }] } },
      ],
    });
    expect(result.object).toBe("list");
    expect(result.data).toHaveLength(2);
    expect(result.data[1]?.index).toBe(1);
    expect(result.data[0]?.embedding[0]).toBeCloseTo(0.05, 6);
    expect(result.data[1]?.embedding[3]).toBeCloseTo(0.1, 6);
    expect(result.usage.prompt_tokens).toBe(0);
  });

  test("embeddings as floats, with dimensions -> outputDimensionality", async () => {
    const result = await client.embeddings.create({ model: "google/text-embedding-004", input: "abc", dimensions: 2, encoding_format: "float", ...byok });
    expect(mock.last().body).toEqual({ requests: [{ model: "models/text-embedding-004", content: { parts: [{ text: "abc" }] }, outputDimensionality: 2 }] });
    expect(result.data[0]?.embedding).toEqual([0.03, 0.04]);
  });

  test("images with aspect_ratio 16:9 reach Imagen's predict as aspectRatio 16:9", async () => {
    const result = await client.images.generate({
      model: "google/imagen-3.0-generate-002",
      prompt: "a lighthouse at dusk",
      n: 2,
      aspect_ratio: "16:9",
      ...byok,
    } as OpenAI.ImageGenerateParamsNonStreaming);
    const call = mock.last();
    expect(call.path).toBe("/v1beta/models/imagen-3.0-generate-002:predict");
    expect(call.body).toEqual({ instances: [{ prompt: "a lighthouse at dusk" }], parameters: { sampleCount: 2, aspectRatio: "16:9" } });
    expect(result.data).toHaveLength(2);
    expect(result.data?.[0]?.b64_json).toBe(MOCK_PNG_BASE64);
    expect(typeof result.created).toBe("number");
  });

  test("images with size 1024x1792 ask Imagen for 9:16", async () => {
    const { data, response } = await client.images
      .generate({ model: "google/imagen-3.0-generate-002", prompt: "a tall tower", size: "1024x1792", response_format: "url", ...byok })
      .withResponse();
    expect((mock.last().body?.parameters as Record<string, unknown>).aspectRatio).toBe("9:16");
    expect(data.data).toHaveLength(1);
    expect(response.headers.get("x-keyway-dropped-params")).toBe("response_format");
  });

  test("an aspect ratio Imagen lacks is invalid_request naming the supported ones", async () => {
    const calls = mock.calls.length;
    const res = await gw.post("/v1/images/generations", { model: "google/imagen-3.0-generate-002", prompt: "x", aspect_ratio: "21:9", ...byok });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.param).toBe("aspect_ratio");
    expect(body.error.message).toContain("1:1, 3:4, 4:3, 9:16, 16:9");
    expect(mock.calls.length).toBe(calls);
  });

  test("an unknown model is model_not_found (404)", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "google/missing-model", messages: [{ role: "user", content: "x" }], ...byok });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("model_not_found");
  });

  test("a bare gemini- model name resolves to google", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "gemini-2.0-flash", messages: [{ role: "user", content: "bare" }], ...byok });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("google");
  });

  test("checkKey is models.list with pageSize=1; listModels reads model ids from it", async () => {
    const ctx = { provider: "google", model: "", baseUrl: mock.url, apiKey: KEY, stream: false, options: {} };
    const check = google.checkKey?.(ctx);
    expect(check).toEqual({ url: `${mock.url}/v1beta/models?pageSize=1`, method: "GET", headers: { "x-goog-api-key": KEY } });
    expect(await google.listModels?.(ctx)).toEqual(["gemini-2.0-flash"]);
    expect(mock.last().search).toBe("?pageSize=1000");
    const refused = await google.listModels?.({ ...ctx, apiKey: "not-a-google-key" }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: "auth", message: "API key not valid. Please pass a valid API key." });
  });

  test("a stored key's safety_settings (Gemini's own key setting) reach generateContent as safetySettings", async () => {
    const safety = [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }];
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "google", api_key: KEY, settings: { safety_settings: safety, temperature_default: 0.3 } }] });
    expect(stored.status).toBe(201);
    const res = await gw.post("/v1/chat/completions", { model: "google/gemini-2.0-flash", messages: [{ role: "user", content: "hi" }] }, { "x-use-byok": "true" });
    expect(res.status).toBe(200);
    expect(mock.last().headers["x-goog-api-key"]).toBe(KEY);
    expect(mock.last().body?.safetySettings).toEqual(safety);
    expect((mock.last().body?.generationConfig as { temperature?: number }).temperature).toBe(0.3);
  });
});
