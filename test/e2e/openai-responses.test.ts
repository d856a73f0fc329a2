// POST /v1/responses end to end with the official `openai` client (responses.create, responses.stream) against a
// real keyway: to OpenAI passed through natively (the client's body upstream, the answer's bytes back), to Anthropic
// and Gemini translated (text, images, function tools both ways, instructions, max_output_tokens, text.format,
// streams), native-only fields refused for them, and every call in the usage ledger with its cost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ResponseCreateParamsNonStreaming, ResponseInputItem } from "openai/resources/responses/responses";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockGoogle } from "../fixtures/mock-google.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway, usageRowOf } from "../helpers/gateway.ts";

const OPENAI_KEY = "sk-proj-platform0000000000000000abcd";
const ANTHROPIC_KEY = "sk-ant-platform000000000000000000abcd";
const GOOGLE_KEY = "AIzaSyPlatform000000000000000000000001";
const PRICE = { input_per_mtok: 2.5, output_per_mtok: 10 };
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

let openaiMock: MockOpenAI;
let anthropicMock: MockAnthropic;
let googleMock: MockGoogle;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  openaiMock = new MockOpenAI({ keys: [OPENAI_KEY], chunkIntervalMs: 2 }).start();
  anthropicMock = new MockAnthropic({ keys: [ANTHROPIC_KEY] }).start();
  googleMock = new MockGoogle().start();
  gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: openaiMock.url, timeout_ms: 3000, platform_keys: [OPENAI_KEY], models: [{ id: "gpt-4o", ...PRICE }] },
      anthropic: { adapter: "anthropic", base_url: anthropicMock.url, timeout_ms: 3000, platform_keys: [ANTHROPIC_KEY], models: [{ id: "claude-sonnet-4-5", ...PRICE }] },
      google: { adapter: "google", base_url: googleMock.url, timeout_ms: 3000, platform_keys: [GOOGLE_KEY], models: [{ id: "gemini-2.0-flash", ...PRICE }] },
    },
    platform: { markup_percent: 0 },
  });
  // an account with credits, so the platform keys answer and every call is charged at list price
  const account = (await (await gw.post("/v1/accounts", { name: "responses", credits: 100 })).json()) as { key: string };
  client = new OpenAI({ apiKey: account.key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw.stop();
  await Promise.all([openaiMock.stop(), anthropicMock.stop(), googleMock.stop()]);
});

interface UsageRow { request_id: string; provider: string; model: string; endpoint: string; input_tokens: number; output_tokens: number; cost_micros: number; status: number }

/** The usage row of a request, once the ledger has it. */
const usageRow = (requestId: string) => usageRowOf<UsageRow>(gw, requestId);

const weather = { type: "function" as const, name: "weather", description: "Weather of a city", strict: true, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } };

describe("to OpenAI: passed through natively", () => {
  test("responses.create: the client's body upstream (previous_response_id, store), the answer's bytes back, usage priced", async () => {
    const first = await client.responses.create({ model: "openai/gpt-4o", input: "remember me", store: true });
    expect(first.id).toMatch(/^resp_mock/);
    const { data, response } = await client.responses
      .create({ model: "openai/gpt-4o", input: "and now?", previous_response_id: first.id, store: true, instructions: "Be brief.", max_output_tokens: 64 }, { headers: { "x-request-id": "responses-native-json" } })
      .withResponse();
    const sent = openaiMock.last();
    expect(sent.path).toBe("/v1/responses");
    expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(sent.body).toEqual({ model: "gpt-4o", input: "and now?", previous_response_id: first.id, store: true, instructions: "Be brief.", max_output_tokens: 64 });
    expect(data.output_text).toBe("echo: and now?");
    expect(data.previous_response_id).toBe(first.id);
    expect(response.headers.get("x-provider-used")).toBe("openai");
    const row = await usageRow("responses-native-json");
    expect(row).toMatchObject({ provider: "openai", model: "gpt-4o", input_tokens: data.usage?.input_tokens, output_tokens: 7, status: 200 });
    expect(row?.cost_micros).toBe(Math.round((data.usage?.input_tokens ?? 0) * 2.5 + 7 * 10));
  });

  test("with the caller's key: keyway's fields stay out of the upstream body; the JSON answer is OpenAI's own", async () => {
    const res = await gw.post("/v1/responses", { model: "gpt-4o", provider: "openai", input: "raw", store: false, byok_api_key: OPENAI_KEY }, { authorization: `Bearer ${client.apiKey}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-byok-used")).toBe("true");
    // keyway's own fields are read, never forwarded
    expect(openaiMock.last().body).toEqual({ model: "gpt-4o", input: "raw", store: false });
    const body = await res.json();
    expect(body).not.toHaveProperty("byok_api_key");
    expect(body.usage).not.toHaveProperty("cost");
    expect(body.store).toBe(false);
    expect(body.model).toBe("gpt-4o-2024-08-06");
    expect(body.output[0].content[0].text).toBe("echo: raw");
  });

  test("responses.stream: OpenAI's own events, usage from response.completed recorded", async () => {
    const stream = client.responses.stream({ model: "openai/gpt-4o", input: "stream me please" }, { headers: { "x-request-id": "responses-native-stream" } });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(final.id).toMatch(/^resp_mock/);
    expect(deltas.join("")).toBe("echo: stream me please");
    expect(final.output_text).toBe("echo: stream me please");
    const row = await usageRow("responses-native-stream");
    expect(row).toMatchObject({ provider: "openai", input_tokens: final.usage?.input_tokens, output_tokens: 7, status: 200 });
    expect(row?.cost_micros).toBeGreaterThan(0);
  });

  test("the stream's bytes are OpenAI's: ids, sequence numbers and event names as the upstream sent them", async () => {
    const res = await gw.post("/v1/responses", { model: "openai/gpt-4o", input: "bytes", stream: true }, { authorization: `Bearer ${client.apiKey}` });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    expect(text.startsWith('event: response.created\ndata: {"type":"response.created","response":{"id":"resp_mock')).toBe(true);
    expect(text.trimEnd().split("\n\n").at(-1)).toMatch(/^event: response\.completed\ndata: .*"sequence_number":\d+\}$/);
    expect(text).not.toContain("[DONE]");
  });
});

const translated = [
  { name: "anthropic", model: "anthropic/claude-sonnet-4-5", mock: () => anthropicMock },
  { name: "google", model: "google/gemini-2.0-flash", mock: () => googleMock },
] as const;

for (const target of translated) {
  describe(`to ${target.name}: translated`, () => {
    test("text with instructions and max_output_tokens; usage and cost recorded", async () => {
      const { data, response } = await client.responses
        .create({ model: target.model, instructions: "Answer in French.", input: "hi there", max_output_tokens: 50 }, { headers: { "x-request-id": `responses-${target.name}-text` } })
        .withResponse();
      expect(data.object).toBe("response");
      expect(data.status).toBe("completed");
      expect(data.output_text).toBe("echo: hi there");
      expect(data.usage?.input_tokens).toBeGreaterThan(0);
      expect(data.usage?.total_tokens).toBe((data.usage?.input_tokens ?? 0) + (data.usage?.output_tokens ?? 0));
      expect((data.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);
      expect(response.headers.get("x-provider-used")).toBe(target.name);
      const sent = target.mock().last().body ?? {};
      if (target.name === "anthropic") {
        expect(sent.system).toEqual(expect.stringContaining("Answer in French."));
        expect(sent.max_tokens).toBe(50);
      } else {
        expect(JSON.stringify(sent.systemInstruction)).toContain("Answer in French.");
        expect((sent.generationConfig as { maxOutputTokens?: number }).maxOutputTokens).toBe(50);
      }
      const row = await usageRow(`responses-${target.name}-text`);
      expect(row).toMatchObject({ provider: target.name, input_tokens: data.usage?.input_tokens, output_tokens: data.usage?.output_tokens, status: 200 });
      expect(row?.cost_micros).toBeGreaterThan(0);
    });

    test("an image in the input reaches the provider as an image", async () => {
      const data = await client.responses.create({
        model: target.model,
        input: [{ role: "user", content: [{ type: "input_text", text: "what is this?" }, { type: "input_image", image_url: PNG, detail: "auto" }] }],
      });
      expect(data.output_text).toContain("echo: what is this?");
      const sent = JSON.stringify(target.mock().last().body);
      expect(sent).toContain(PNG.slice("data:image/png;base64,".length));
      expect(sent).toContain(target.name === "anthropic" ? '"type":"image"' : '"inlineData"');
    });

    test("function tools round trip: a function_call item out, its function_call_output back in", async () => {
      const first = await client.responses.create({ model: target.model, input: "weather in Paris?", tools: [weather] });
      const call = first.output.find((item) => item.type === "function_call");
      expect(call).toMatchObject({ type: "function_call", name: "weather", status: "completed" });
      if (call?.type !== "function_call") throw new Error("no function call");
      expect(JSON.parse(call.arguments)).toEqual({ city: "Paris" });
      const input: ResponseInputItem[] = [
        { role: "user", content: "weather in Paris?" },
        ...first.output.filter((item) => item.type === "function_call"),
        { type: "function_call_output", call_id: call.call_id, output: "sunny, 21 degrees" },
      ];
      const second = await client.responses.create({ model: target.model, input, tools: [weather] });
      expect(second.output_text).toContain("sunny, 21 degrees");
      const sent = JSON.stringify(target.mock().last().body);
      expect(sent).toContain(target.name === "anthropic" ? '"tool_result"' : '"functionResponse"');
    });

    test("text.format json_schema answers JSON that fits the schema", async () => {
      const params: ResponseCreateParamsNonStreaming = {
        model: target.model,
        input: "weather as JSON",
        text: { format: { type: "json_schema", name: "weather", strict: true, schema: { type: "object", properties: { city: { type: "string" }, celsius: { type: "number" } }, required: ["city", "celsius"], additionalProperties: false } } },
      };
      const data = await client.responses.create(params);
      const parsed = JSON.parse(data.output_text) as { city: unknown; celsius: unknown };
      expect(typeof parsed.city).toBe("string");
      expect(typeof parsed.celsius).toBe("number");
    });

    test("responses.stream: output_text deltas, then response.completed with usage; recorded", async () => {
      const stream = client.responses.stream({ model: target.model, input: "stream to me" }, { headers: { "x-request-id": `responses-${target.name}-stream` } });
      const deltas: string[] = [];
      const types: string[] = [];
      stream.on("event", (event) => types.push(event.type));
      stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
      const final = await stream.finalResponse();
      expect(types.slice(0, 2)).toEqual(["response.created", "response.in_progress"]);
      expect(types.at(-1)).toBe("response.completed");
      expect(deltas.length).toBeGreaterThan(0);
      expect(deltas.join("")).toBe("echo: stream to me");
      expect(final.output_text).toBe("echo: stream to me");
      expect(final.usage?.input_tokens).toBeGreaterThan(0);
      expect(final.usage?.output_tokens).toBeGreaterThan(0);
      const row = await usageRow(`responses-${target.name}-stream`);
      expect(row).toMatchObject({ provider: target.name, input_tokens: final.usage?.input_tokens, output_tokens: final.usage?.output_tokens, status: 200 });
      expect(row?.cost_micros).toBeGreaterThan(0);
    });

    test("a streamed function call arrives as function_call_arguments deltas", async () => {
      const stream = client.responses.stream({ model: target.model, input: "weather in Paris?", tools: [weather] });
      const argumentDeltas: string[] = [];
      stream.on("response.function_call_arguments.delta", (event) => argumentDeltas.push(event.delta));
      const final = await stream.finalResponse();
      const call = final.output.find((item) => item.type === "function_call");
      if (call?.type !== "function_call") throw new Error("no function call");
      expect(call.name).toBe("weather");
      expect(argumentDeltas.join("")).toBe(call.arguments);
      expect(JSON.parse(call.arguments)).toEqual({ city: "Paris" });
    });

    test("previous_response_id and store: true are refused with a 400 naming them; nothing is sent upstream", async () => {
      const before = target.mock().calls.length;
      for (const [params, field] of [[{ previous_response_id: "resp_abc" }, "previous_response_id"], [{ store: true }, "store"]] as const) {
        const error = await client.responses.create({ model: target.model, input: "hi", ...params }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
        expect(bad.param).toBe(field);
        expect(bad.code).toBe("invalid_request");
        expect(bad.message).toContain(`'${field}'`);
      }
      // store: false asks nothing another provider cannot give
      const data = await client.responses.create({ model: target.model, input: "not stored", store: false });
      expect(data.output_text).toBe("echo: not stored");
      expect(target.mock().calls.length).toBe(before + 1);
    });
  });
}

describe("failures mid-stream", () => {
  test("a provider breaking off a translated stream ends it with an error event, then response.failed", async () => {
    anthropicMock.failNext({ kind: "stream_error", afterEvents: 4 });
    const res = await gw.post("/v1/responses", { model: "anthropic/claude-sonnet-4-5", input: "hello there friend", stream: true }, { authorization: `Bearer ${client.apiKey}` });
    expect(res.status).toBe(200);
    const events = (await res.text()).trim().split("\n\n").map((frame) => JSON.parse(frame.split("\n")[1]?.slice(6) ?? "{}") as { type: string; sequence_number: number; code?: string; response?: { status: string } });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(["response.created", "response.in_progress"]);
    const [error, failed] = events.slice(-2);
    expect(error).toMatchObject({ type: "error", code: "upstream_error" });
    expect(failed).toMatchObject({ type: "response.failed", response: { status: "failed" } });
    expect(events.some((e) => e.type === "response.completed")).toBe(false);
  });

  test("responses.stream of the official client rejects on it", async () => {
    anthropicMock.failNext({ kind: "stream_error", afterEvents: 4 });
    const stream = client.responses.stream({ model: "anthropic/claude-sonnet-4-5", input: "hello there friend" });
    const outcome = await stream.finalResponse().then(() => "resolved", () => "rejected");
    expect(outcome).toBe("rejected");
  });
});

describe("bad requests", () => {
  test("a body the dialect refuses is a 400 in OpenAI's error shape, naming the field", async () => {
    const res = await gw.post("/v1/responses", { model: "anthropic/claude-sonnet-4-5", input: [{ role: "user", content: [{ type: "input_audio" }] }] });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param: "input[0].content[0].type" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  test("an unknown key is refused in OpenAI's error shape", async () => {
    const stranger = new OpenAI({ apiKey: "kw_nobody", baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const error = await stranger.responses.create({ model: "openai/gpt-4o", input: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
