// POST /v1/messages end to end with the official `@anthropic-ai/sdk` client against a real keyway: to Anthropic passed
// through natively (the client's body and betas upstream, the mock's bytes back, streams included), to OpenAI and
// Gemini translated both ways (text, streams, tool use and tool results), errors in Anthropic's shape,
// and every call in the usage ledger with its cost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { CACHED_PREFIX_TOKENS, MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockGoogle } from "../fixtures/mock-google.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway, usageRowOf } from "../helpers/gateway.ts";

const OPENAI_KEY = "sk-proj-platform0000000000000000msgs";
const ANTHROPIC_KEY = "sk-ant-platform000000000000000000msgs";
const CALLER_ANTHROPIC_KEY = "sk-ant-caller00000000000000000000msgs";
const GOOGLE_KEY = "AIzaSyPlatform000000000000000000000msg";
const PRICE = { input_per_mtok: 2.5, output_per_mtok: 10 };

let openaiMock: MockOpenAI;
let anthropicMock: MockAnthropic;
let googleMock: MockGoogle;
let gw: TestGateway;
let keywayKey: string;
let client: Anthropic;

beforeAll(async () => {
  openaiMock = new MockOpenAI({ keys: [OPENAI_KEY], chunkIntervalMs: 2 }).start();
  anthropicMock = new MockAnthropic({ keys: [ANTHROPIC_KEY, CALLER_ANTHROPIC_KEY] }).start();
  googleMock = new MockGoogle().start();
  gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: openaiMock.url, timeout_ms: 3000, platform_keys: [OPENAI_KEY], models: [{ id: "gpt-4o", ...PRICE }] },
      anthropic: { adapter: "anthropic", base_url: anthropicMock.url, timeout_ms: 3000, platform_keys: [ANTHROPIC_KEY], models: [{ id: "claude-sonnet-4-6", ...PRICE }] },
      google: { adapter: "google", base_url: googleMock.url, timeout_ms: 3000, platform_keys: [GOOGLE_KEY], models: [{ id: "gemini-2.0-flash", ...PRICE }] },
    },
    platform: { markup_percent: 0 },
  });
  // an account with credits, so the platform keys answer and every call is charged at list price
  const account = (await (await gw.post("/v1/accounts", { name: "messages", credits: 100 })).json()) as { key: string };
  keywayKey = account.key;
  client = new Anthropic({ apiKey: keywayKey, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw.stop();
  await Promise.all([openaiMock.stop(), anthropicMock.stop(), googleMock.stop()]);
});

interface UsageRow { request_id: string; provider: string; model: string; endpoint: string; input_tokens: number; output_tokens: number; cost_micros: number; status: number; byok: number }

/** The usage row of a request, once the ledger has it. */
const usageRow = (requestId: string) => usageRowOf<UsageRow>(gw, requestId);

/** Mock Anthropic's own stream bytes for a request body. */
const anthropicFrames = (body: Record<string, unknown>) =>
  anthropicMock.events(body).map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");

const weather: Anthropic.Tool = { name: "weather", description: "Weather of a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
const asked: Anthropic.MessageParam = { role: "user", content: "Weather in Paris?" };

describe("to Anthropic: passed through natively", () => {
  test("messages.create: the client's body (cache_control, thinking), its version and betas upstream, the mock's bytes back, usage priced", async () => {
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: "claude-sonnet-4-6",
      max_tokens: 2048,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [
        { role: "user", content: [{ type: "text", text: "hello", cache_control: { type: "ephemeral" } }] },
        { role: "assistant", content: [{ type: "thinking", thinking: "they greet", signature: "sig-1" }, { type: "text", text: "Hi!" }] },
        { role: "user", content: "again" },
      ],
    };
    const response = await client.messages
      .create(params, { headers: { "x-request-id": "messages-native-json", "anthropic-version": "2023-06-01", "anthropic-beta": "interleaved-thinking-2025-05-14" } })
      .asResponse();
    const text = await response.text();
    const data = JSON.parse(text) as Anthropic.Message;
    const sent = anthropicMock.last();
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers["anthropic-beta"]).toBe("interleaved-thinking-2025-05-14");
    expect(sent.body).toEqual(params as unknown as Record<string, unknown>);
    expect(data.content).toEqual([{ type: "text", text: "echo: again" }] as never);
    // The mock's own bytes: its message, with the cache write it reported for this first sight of the system prompt.
    const expected = anthropicMock.message(sent.body ?? {});
    expected.usage = { ...expected.usage, cache_creation_input_tokens: CACHED_PREFIX_TOKENS, cache_read_input_tokens: 0 };
    expect(text).toBe(JSON.stringify(expected));
    expect(response.headers.get("x-provider-used")).toBe("anthropic");
    expect(response.headers.get("x-request-id")).toBe("messages-native-json");
    const row = await usageRow("messages-native-json");
    // keyway's input count includes the cache write, as OpenAI's prompt_tokens would.
    expect(row).toMatchObject({ provider: "anthropic", model: "claude-sonnet-4-6", status: 200, input_tokens: data.usage.input_tokens + CACHED_PREFIX_TOKENS, output_tokens: 9 });
    expect(row?.cost_micros).toBeGreaterThan(0);
  });

  test("messages.stream: the mock's event bytes reach the client untouched; final message and text deltas", async () => {
    const params = { model: "claude-sonnet-4-6", max_tokens: 64, messages: [{ role: "user" as const, content: "stream me please" }] };
    const raw = await client.messages.create({ ...params, stream: true }, { headers: { "x-request-id": "messages-native-stream" } }).asResponse();
    expect(await raw.text()).toBe(anthropicFrames(anthropicMock.last().body ?? {}));
    expect(anthropicMock.last().body).toEqual({ ...params, stream: true });
    const stream = client.messages.stream(params);
    const deltas: string[] = [];
    stream.on("text", (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.join("")).toBe("echo: stream me please");
    expect(final.content).toMatchObject([{ type: "text", text: "echo: stream me please" }]);
    expect(final.stop_reason).toBe("end_turn");
    const row = await usageRow("messages-native-stream");
    expect(row).toMatchObject({ provider: "anthropic", status: 200 });
    expect(row?.cost_micros).toBeGreaterThan(0);
  });

  test("tools: tool_use comes out, tool_result goes back in", async () => {
    const first = await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 64, tools: [weather], messages: [asked] });
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
    expect(call).toMatchObject({ name: "weather", input: { city: "Paris" } });
    const second = await client.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 64,
      tools: [weather],
      messages: [asked, { role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: call?.id ?? "", content: "sunny, 21C" }] }],
    });
    expect(second.content).toMatchObject([{ type: "text", text: "echo: sunny, 21C" }]);
  });

  test("the caller's own key through X-BYOK-API-Key; the keyway key as a bearer token", async () => {
    const bearer = new Anthropic({ authToken: keywayKey, apiKey: null, baseURL: gw.url, maxRetries: 0 });
    const { response } = await bearer.messages
      .create({ model: "claude-sonnet-4-6", max_tokens: 16, messages: [{ role: "user", content: "mine" }] }, { headers: { "x-byok-api-key": CALLER_ANTHROPIC_KEY, "x-request-id": "messages-byok" } })
      .withResponse();
    expect(anthropicMock.last().headers["x-api-key"]).toBe(CALLER_ANTHROPIC_KEY);
    expect(response.headers.get("x-byok-used")).toBe("true");
    expect((await usageRow("messages-byok"))?.byok).toBe(1);
  });
});

for (const [name, model, provider] of [["OpenAI", "openai/gpt-4o", "openai"], ["Gemini", "google/gemini-2.0-flash", "google"]] as const) {
  describe(`to ${name}: translated`, () => {
    test("messages.create: an Anthropic message with text, stop_reason and usage; the usage row priced", async () => {
      const { data, response } = await client.messages
        .create({ model, max_tokens: 64, system: "Be brief.", messages: [{ role: "user", content: "hi there" }] }, { headers: { "x-request-id": `messages-${provider}-json` } })
        .withResponse();
      expect(data.type).toBe("message");
      expect(data.content).toEqual([{ type: "text", text: "echo: hi there" }] as never);
      expect(data.stop_reason).toBe("end_turn");
      expect(data.usage.input_tokens).toBeGreaterThan(0);
      expect(data.usage.output_tokens).toBeGreaterThan(0);
      expect(response.headers.get("x-provider-used")).toBe(provider);
      const row = await usageRow(`messages-${provider}-json`);
      expect(row).toMatchObject({ provider, status: 200, input_tokens: data.usage.input_tokens, output_tokens: data.usage.output_tokens });
      expect(row?.cost_micros).toBeGreaterThan(0);
    });

    test("messages.stream: text deltas and the final message with usage, in Anthropic's events", async () => {
      const stream = client.messages.stream({ model, max_tokens: 64, messages: [{ role: "user", content: "stream to me" }] }, { headers: { "x-request-id": `messages-${provider}-stream` } });
      const deltas: string[] = [];
      stream.on("text", (text) => deltas.push(text));
      const final = await stream.finalMessage();
      expect(deltas.join("")).toBe("echo: stream to me");
      expect(final.content).toMatchObject([{ type: "text", text: "echo: stream to me" }]);
      expect(final.stop_reason).toBe("end_turn");
      expect(final.usage.output_tokens).toBeGreaterThan(0);
      expect(final.usage.input_tokens).toBeGreaterThan(0);
      const row = await usageRow(`messages-${provider}-stream`);
      expect(row).toMatchObject({ provider, status: 200, output_tokens: final.usage.output_tokens });
      expect(row?.cost_micros).toBeGreaterThan(0);
    });

    test("tools: tool_use out (plain and streamed), tool_result back in", async () => {
      const first = await client.messages.create({ model, max_tokens: 64, tools: [weather], tool_choice: { type: "tool", name: "weather" }, messages: [asked] });
      expect(first.stop_reason).toBe("tool_use");
      const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
      expect(call).toMatchObject({ type: "tool_use", name: "weather", input: { city: "Paris" } });
      const streamed = await client.messages.stream({ model, max_tokens: 64, tools: [weather], messages: [asked] }).finalMessage();
      expect(streamed.stop_reason).toBe("tool_use");
      expect(streamed.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "weather", input: { city: "Paris" } });
      const second = await client.messages.create({
        model,
        max_tokens: 64,
        tools: [weather],
        messages: [asked, { role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: call?.id ?? "", content: "sunny" }] }],
      });
      expect(second.stop_reason).toBe("end_turn");
      expect(second.content[0]).toMatchObject({ type: "text" });
      expect((second.content[0] as Anthropic.TextBlock).text).toContain("sunny");
    });

    test("what only Anthropic can honour (a server tool) is refused with a 400 naming it", async () => {
      const refused = await client.messages
        .create({ model, max_tokens: 16, tools: [{ type: "web_search_20250305", name: "web_search" }], messages: [asked] })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
      const error = (refused as InstanceType<typeof Anthropic.BadRequestError>).error as { type: string; error: { type: string; param: string } };
      expect(error).toMatchObject({ type: "error", error: { type: "invalid_request_error", param: "tools[0]" } });
    });
  });
}

// count_tokens on its own: anthropic-count-tokens.test.ts.
describe("count_tokens and errors", () => {
  test("a bad keyway key is a 401 in Anthropic's error shape, on messages and count_tokens", async () => {
    const stranger = new Anthropic({ apiKey: "kw_not_a_key", baseURL: gw.url, maxRetries: 0 });
    for (const call of [
      () => stranger.messages.create({ model: "claude-sonnet-4-6", max_tokens: 8, messages: [asked] }),
      () => stranger.messages.countTokens({ model: "claude-sonnet-4-6", messages: [asked] }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
      expect((error as InstanceType<typeof Anthropic.AuthenticationError>).status).toBe(401);
      expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: "error", error: { type: "authentication_error", code: "invalid_api_key" } });
    }
  });

  test("a bad body is a 400 naming the field, in Anthropic's error shape", async () => {
    const missing = await client.messages.create({ model: "claude-sonnet-4-6", messages: [asked] } as unknown as Anthropic.MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect((missing as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: "error", error: { type: "invalid_request_error", code: "invalid_request", param: "max_tokens" } });
    const res = await fetch(`${gw.url}/v1/messages`, { method: "POST", headers: { "x-api-key": keywayKey, "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  test("an upstream refusal comes back in Anthropic's shape with keyway's code", async () => {
    const error = await client.messages.create({ model: "openai/gpt-4o", max_tokens: 8, messages: [asked] }, { headers: { "x-byok-api-key": "sk-proj-wrong000000000000000000000" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const body = (error as InstanceType<typeof Anthropic.APIError>).error as { type: string; error: { type: string; code: string; message: string } };
    expect(body.type).toBe("error");
    expect(typeof body.error.code).toBe("string");
    expect(body.error.message).not.toContain("sk-proj-wrong");
  });
});
