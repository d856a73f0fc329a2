import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAndAnthropicAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-nullparams00000000000000001";
const ANTHROPIC_KEY = "sk-ant-api03-nullparams000000000000000001";
let openai: MockOpenAI;
let anthropic: MockAnthropic;
let gw: TestGateway;

beforeAll(async () => {
  openai = new MockOpenAI({ keys: [KEY] }).start();
  anthropic = new MockAnthropic({ keys: [ANTHROPIC_KEY] }).start();
  gw = await startGateway(openaiAndAnthropicAt(openai.url, anthropic.url));
});
afterAll(async () => {
  await gw.stop();
  await openai.stop();
  await anthropic.stop();
});

const nullKeys = (body: Record<string, unknown> | undefined) => Object.entries(body ?? {}).filter(([, value]) => value === null).map(([key]) => key);

describe("null for an optional parameter means the parameter is absent (as OpenAI takes it)", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      "/v1/chat/completions",
      { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }] },
      ["max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "tools", "tool_choice", "stream", "stream_options", "user", "seed", "response_format"],
    ],
    ["/v1/completions", { model: "openai/gpt-3.5-turbo-instruct", prompt: "Once" }, ["max_tokens", "temperature", "stream", "stream_options", "suffix"]],
    ["/v1/embeddings", { model: "openai/text-embedding-3-small", input: "one" }, ["encoding_format", "dimensions", "user"]],
    ["/v1/images/generations", { model: "openai/dall-e-3", prompt: "a lighthouse" }, ["n", "size", "aspect_ratio", "quality", "style"]],
    ["/v1/audio/speech", { model: "openai/tts-1", input: "Hello", voice: "alloy" }, ["speed", "response_format", "instructions"]],
  ];

  for (const [path, body, nulled] of cases) {
    test(`${path}: accepted, and the upstream receives the body without the null fields`, async () => {
      const res = await gw.post(path, { ...body, ...Object.fromEntries(nulled.map((k) => [k, null])), byok_api_key: KEY });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const sent = openai.last();
      expect(sent.path).toBe(path);
      expect(nullKeys(sent.body)).toEqual([]);
      for (const key of nulled) expect(sent.body).not.toHaveProperty(key);
      expect(sent.body?.model).toBe(String(body.model).slice("openai/".length));
    });
  }

  test("a translating adapter never sees the nulls: Anthropic gets its own defaults", async () => {
    const res = await gw.post("/v1/chat/completions", {
      model: "anthropic/claude-3-5-sonnet-20241022",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: null,
      temperature: null,
      tools: null,
      stream_options: null,
      byok_api_key: ANTHROPIC_KEY,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).object).toBe("chat.completion");
    const sent = anthropic.last().body ?? {};
    expect(nullKeys(sent)).toEqual([]);
    expect(typeof sent.max_tokens).toBe("number");
    expect(sent).not.toHaveProperty("temperature");
    expect(sent).not.toHaveProperty("tools");
  });

  test("nulls inside the body are left alone: an assistant message with tool calls and content null", async () => {
    const messages = [
      { role: "user", content: "weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
    ];
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages, temperature: null, byok_api_key: KEY });
    expect(res.status).toBe(200);
    expect(openai.last().body?.messages).toEqual(messages);
  });

  test("required fields stay required: null there is a 400 naming the field", async () => {
    const calls = openai.calls.length;
    const checks: [string, Record<string, unknown>, string][] = [
      ["/v1/chat/completions", { model: null, messages: [{ role: "user", content: "hi" }] }, "model"],
      ["/v1/chat/completions", { model: "openai/gpt-4o", messages: null }, "messages"],
      ["/v1/completions", { model: "openai/gpt-3.5-turbo-instruct", prompt: null }, "prompt"],
      ["/v1/embeddings", { model: null, input: "one" }, "model"],
      ["/v1/embeddings", { model: "openai/text-embedding-3-small", input: null }, "input"],
      ["/v1/images/generations", { model: "openai/dall-e-3", prompt: null }, "prompt"],
      ["/v1/audio/speech", { model: "openai/tts-1", input: "Hello", voice: null }, "voice"],
    ];
    for (const [path, body, param] of checks) {
      const res = await gw.post(path, { ...body, byok_api_key: KEY });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param });
      expect(error.message).toContain(`'${param}'`);
    }
    expect(openai.calls.length).toBe(calls);
  });
});
