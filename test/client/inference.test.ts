// keyway's TypeScript client against a real keyway and the OpenAI mock: every inference method, whole and
// streamed, with the caller's own key, and the response headers' facts on every result.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Keyway, NotFoundError } from "keyway/client";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-client00000000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;
let client: Keyway;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY], chunkIntervalMs: 5 }).start();
  gw = await startGateway(openaiAt(mock.url));
  client = new Keyway({ apiKey: gw.adminKey, baseURL: gw.url });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("chat", () => {
  test("text, finish reason, usage at cost 0, and the headers' facts, with the caller's key as byok_api_key", async () => {
    const result = await client.chat([{ role: "user", content: "Say hello" }], "openai/gpt-4o-mini", { byokApiKey: KEY, temperature: 0.2, maxTokens: 50 });
    expect(result.text).toBe("echo: Say hello");
    expect(result.finishReason).toBe("stop");
    expect(result.model).toBe("gpt-4o-mini-2024-08-06");
    expect(result.usage?.completionTokens).toBe(7);
    expect(result.usage?.totalTokens).toBe((result.usage?.promptTokens ?? 0) + 7);
    expect(result.costUsd).toBe(0);
    expect(result.providerUsed).toBe("openai");
    expect(result.byokUsed).toBe(true);
    expect(result.attempts).toBe(1);
    expect(result.requestId).toBeTruthy();
    expect(result.status).toBe(200);
    expect(result.raw.byok_api_key).toBe(true);
    // The key went upstream as the provider's credential, never as a body field; the options in OpenAI's names.
    const upstream = mock.last();
    expect(upstream.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(upstream.body).not.toHaveProperty("byok_api_key");
    expect(upstream.body).toMatchObject({ model: "gpt-4o-mini", temperature: 0.2, max_tokens: 50 });
  });

  test("a string is one user message; X-Request-Id, provider and extraBody are sent as keyway reads them", async () => {
    const result = await client.chat("Hi there", "gpt-4o-mini", { byokApiKey: KEY, provider: "openai", requestId: "req-client-1", extraBody: { seed: 7 } });
    expect(result.text).toBe("echo: Hi there");
    expect(result.requestId).toBe("req-client-1");
    expect(mock.last().body).toMatchObject({ model: "gpt-4o-mini", seed: 7, messages: [{ role: "user", content: "Hi there" }] });
    expect(mock.last().body).not.toHaveProperty("provider");
  });

  test("routing, project tag, BYOK-only and team travel as keyway's body field and headers", async () => {
    const sent: { headers: Record<string, string>; body: Record<string, unknown> }[] = [];
    const c = new Keyway({
      apiKey: gw.adminKey,
      baseURL: gw.url,
      fetch: (input, init) => {
        sent.push({ headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
        return fetch(input, init);
      },
    });
    const result = await c.chat("routed", "openai/gpt-4o-mini", {
      byokApiKey: KEY,
      routing: { strategy: "direct", fallbackReasons: ["rate_limit"], fallbackToPlatform: false },
      projectTag: "apollo",
      useByokOnly: true,
    });
    expect(result.text).toBe("echo: routed");
    expect(sent[0]?.body.routing).toEqual({ strategy: "direct", fallback_reasons: ["rate_limit"], fallback_to_platform: false });
    expect(sent[0]?.headers).toMatchObject({ "x-project-tag": "apollo", "x-use-byok": "true", authorization: `Bearer ${gw.adminKey}` });
    expect(mock.last().body).not.toHaveProperty("routing");
    const refused = await c.chat("team?", "openai/gpt-4o-mini", { byokApiKey: KEY, teamId: "team_unknown" }).catch((e: unknown) => e);
    expect(sent[1]?.headers["x-team-id"]).toBe("team_unknown");
    expect(refused).toBeInstanceOf(NotFoundError);
    expect((refused as NotFoundError).message).toContain("team_unknown");
  });

  test("tool calls come back as toolCalls and the assistant message", async () => {
    const tools = [{ type: "function" as const, function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const result = await client.chat("Weather?", "openai/gpt-4o", { byokApiKey: KEY, tools, toolChoice: "auto" });
    expect(result.finishReason).toBe("tool_calls");
    expect(result.text).toBe("");
    expect(result.toolCalls).toEqual([{ id: "call_mock_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }]);
    expect(result.message.tool_calls?.[0]?.id).toBe("call_mock_1");
    expect(mock.last().body?.tool_choice).toBe("auto");
  });

  test("{stream: true}: the headers' facts before the first chunk, text chunks, then the usage", async () => {
    const stream = await client.chat([{ role: "user", content: "one two three" }], "openai/gpt-4o-mini", { byokApiKey: KEY, stream: true });
    expect(stream.providerUsed).toBe("openai");
    expect(stream.byokUsed).toBe(true);
    expect(stream.attempts).toBe(1);
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.text);
    expect(texts.join("")).toBe("echo: one two three");
    expect(texts.filter((text) => text !== "").length).toBeGreaterThan(2);
    expect(stream.finishReason).toBe("stop");
    expect(stream.usage?.completionTokens).toBeGreaterThan(0);
    expect(mock.last().body?.stream_options).toEqual({ include_usage: true });
  });

  test("chatStream(...).text() collects the text; a stream reads once", async () => {
    const stream = await client.chatStream("collect me", "openai/gpt-4o-mini", { byokApiKey: KEY, includeUsage: false });
    expect(await stream.text()).toBe("echo: collect me");
    expect(stream.usage).toBeNull(); // keyway holds back the usage chunk nobody asked for
    await expect(stream.text()).rejects.toMatchObject({ code: "stream_consumed" });
  });

  test("a streamed tool call arrives as fragments of its arguments", async () => {
    const tools = [{ type: "function" as const, function: { name: "weather" } }];
    const stream = await client.chatStream("Weather?", "openai/gpt-4o", { byokApiKey: KEY, tools });
    let args = "";
    let name: string | undefined;
    for await (const chunk of stream) {
      for (const call of chunk.toolCalls) {
        name ??= call.function?.name;
        args += call.function?.arguments ?? "";
      }
    }
    expect(name).toBe("weather");
    expect(JSON.parse(args)).toEqual({ city: "Paris" });
    expect(stream.finishReason).toBe("tool_calls");
  });

  test("leaving the loop early cancels the stream, and keyway aborts the upstream request", async () => {
    const slow = new MockOpenAI({ keys: [KEY], chunkIntervalMs: 150 }).start();
    const gw2 = await startGateway(openaiAt(slow.url));
    try {
      const c = new Keyway({ apiKey: gw2.adminKey, baseURL: `${gw2.url}/v1` });
      const stream = await c.chatStream("a b c d e f g h i j k l m n o p", "openai/gpt-4o-mini", { byokApiKey: KEY });
      for await (const chunk of stream) if (chunk.text !== "") break;
      const deadline = Date.now() + 3000;
      while (!slow.last().aborted && Date.now() < deadline) await Bun.sleep(20);
      expect(slow.last().aborted).toBe(true);
    } finally {
      await gw2.stop();
      await slow.stop();
    }
  });
});

describe("completion, embeddings, images, text to speech", () => {
  test("completion: text and usage", async () => {
    const result = await client.completion("Once", "openai/gpt-3.5-turbo-instruct", { byokApiKey: KEY, maxTokens: 5 });
    expect(result.text).toBe(" completed: Once");
    expect(result.finishReason).toBe("stop");
    expect(result.usage?.completionTokens).toBe(5);
    expect(result.costUsd).toBe(0);
    expect(result.providerUsed).toBe("openai");
    expect(mock.last().body).toMatchObject({ prompt: "Once", max_tokens: 5 });
  });

  test("embeddings: one vector per text, in order; a single string too", async () => {
    const many = await client.embeddings(["one", "three"], "openai/text-embedding-3-small", { byokApiKey: KEY, dimensions: 3 });
    expect(many.embeddings).toHaveLength(2);
    expect(many.embeddings[1]?.[0]).toBeCloseTo(0.05);
    expect(many.usage?.promptTokens).toBe(6);
    expect(many.costUsd).toBe(0);
    expect(many.byokUsed).toBe(true);
    expect(mock.last().body).toMatchObject({ input: ["one", "three"], dimensions: 3 });
    const one = await client.embeddings("hello", "openai/text-embedding-3-small", { byokApiKey: KEY });
    expect(one.embeddings).toHaveLength(1);
    expect(mock.last().body?.input).toBe("hello");
  });

  test("images with a size, and with an aspect ratio (mapped to the model's nearest size by keyway)", async () => {
    const sized = await client.images("a lighthouse", "openai/dall-e-3", { byokApiKey: KEY, size: "1024x1024", n: 1, quality: "hd" });
    expect(sized.images[0]).toEqual({ url: null, b64Json: "aW1hZ2U=", revisedPrompt: "a lighthouse" });
    expect(sized.providerUsed).toBe("openai");
    expect(mock.last().body).toMatchObject({ size: "1024x1024", n: 1, quality: "hd" });
    const wide = await client.images("a beach", "openai/dall-e-3", { byokApiKey: KEY, aspectRatio: "16:9" });
    expect(wide.images).toHaveLength(1);
    expect(mock.last().body?.size).toBe("1792x1024");
    expect(mock.last().body).not.toHaveProperty("aspect_ratio");
  });

  test("textToSpeech: the audio bytes and their type, with the headers' facts", async () => {
    const speech = await client.textToSpeech("Hello", "openai/tts-1", { voice: "alloy", responseFormat: "mp3", speed: 1.25, byokApiKey: KEY });
    expect([...speech.audio]).toEqual([0x49, 0x44, 0x33, 0x04, 0x00]);
    expect(speech.contentType).toBe("audio/mpeg");
    expect(speech.providerUsed).toBe("openai");
    expect(speech.byokUsed).toBe(true);
    expect(speech.attempts).toBe(1);
    expect(mock.last().body).toMatchObject({ model: "tts-1", input: "Hello", voice: "alloy", response_format: "mp3", speed: 1.25 });
  });
});
