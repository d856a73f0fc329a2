import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { sizeForAspectRatio } from "../../src/providers/openai-image-size.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-endpoints0000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;
let client: OpenAI;
const byok = { byok_api_key: KEY } as Record<string, unknown>;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  gw = await startGateway(openaiAt(mock.url));
  client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("OpenAI endpoints through the official client", () => {
  test("embeddings: vectors, usage, cost 0 with a BYOK key", async () => {
    const res = await client.embeddings.create({ model: "openai/text-embedding-3-small", input: ["one", "three"], encoding_format: "float", ...byok });
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    expect(res.data[1]?.embedding[0]).toBeCloseTo(0.05);
    expect(res.usage.prompt_tokens).toBe(6);
    expect((res.usage as unknown as { cost: number }).cost).toBe(0);
    expect(mock.last().body?.model).toBe("text-embedding-3-small");
  });

  test("legacy completions", async () => {
    const res = await client.completions.create({ model: "openai/gpt-3.5-turbo-instruct", prompt: "Once", ...byok });
    expect(res.choices[0]?.text).toBe(" completed: Once");
  });

  test("images: aspect_ratio becomes the nearest size the model takes, and never goes upstream", async () => {
    const res = await client.images.generate({ model: "openai/dall-e-3", prompt: "a lighthouse", aspect_ratio: "16:9", ...byok } as OpenAI.ImageGenerateParamsNonStreaming);
    expect(res.data?.[0]?.b64_json).toBe("aW1hZ2U=");
    expect(mock.last().body?.size).toBe("1792x1024");
    expect(mock.last().body).not.toHaveProperty("aspect_ratio");

    const both = await gw.post("/v1/images/generations", { model: "openai/gpt-image-1", prompt: "x", size: "1024x1024", aspect_ratio: "9:16", ...byok });
    expect(both.headers.get("x-keyway-dropped-params")).toBe("aspect_ratio");
    expect(mock.last().body?.size).toBe("1024x1024");
  });

  test("size mapping per model family", () => {
    expect(sizeForAspectRatio("dall-e-3", "9:16")).toBe("1024x1792");
    expect(sizeForAspectRatio("gpt-image-1", "16:9")).toBe("1536x1024");
    expect(sizeForAspectRatio("gpt-image-1", "1:1")).toBe("1024x1024");
    expect(sizeForAspectRatio("dall-e-2", "4:3")).toBe("1024x1024");
    expect(sizeForAspectRatio("dall-e-3", "wide")).toBeUndefined();
  });

  test("speech: audio bytes with the upstream content type, and keyway's headers", async () => {
    const res = await client.audio.speech.create({ model: "openai/tts-1", voice: "alloy", input: "Hello", ...byok } as OpenAI.Audio.SpeechCreateParams).asResponse();
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(res.headers.get("x-provider-used")).toBe("openai");
    expect(res.headers.get("x-byok-used")).toBe("true");
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x49, 0x44, 0x33, 0x04, 0x00]);
  });

  test("an endpoint the provider does not offer is a clear invalid_request", async () => {
    const restricted = await startGateway({ providers: { openai: { adapter: "openai", base_url: mock.url }, mistral: { adapter: "mistral", base_url: mock.url } } });
    try {
      const res = await restricted.post("/v1/audio/speech", { model: "mistral/voxtral", voice: "a", input: "hi", byok_api_key: KEY });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("invalid_request");
      expect(error.message).toContain("mistral");
      expect(error.message).toContain("speech");
    } finally {
      await restricted.stop();
    }
  });
});
