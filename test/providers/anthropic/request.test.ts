import { describe, expect, test } from "bun:test";
import type { ChatRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { ANTHROPIC_DEFAULT_MAX_TOKENS } from "../../../src/providers/anthropic/index.ts";
import { buildMessagesBody, toMessagesRequest } from "../../../src/providers/anthropic/request.ts";

const ctx: ProviderContext = {
  provider: "anthropic",
  model: "claude-3-5-sonnet-20241022",
  baseUrl: "https://api.anthropic.com",
  apiKey: "sk-ant-api03-unit",
  stream: false,
  options: {},
};

const chat = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "anthropic/claude-3-5-sonnet-20241022",
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});

const translate = (extra: Partial<ChatRequest> = {}, context: Partial<ProviderContext> = {}) =>
  buildMessagesBody(chat(extra), { ...ctx, ...context });

const WEATHER = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

describe("the upstream request", () => {
  test("POSTs to /v1/messages with x-api-key, anthropic-version and JSON", () => {
    const request = toMessagesRequest(chat(), ctx);
    expect(request.url).toBe("https://api.anthropic.com/v1/messages");
    expect(request.method).toBe("POST");
    expect(request.headers).toEqual({ "x-api-key": "sk-ant-api03-unit", "anthropic-version": "2023-06-01", "content-type": "application/json" });
    expect(request.headers).not.toHaveProperty("authorization");
    expect(request.dropped).toBeUndefined();
    const body = JSON.parse(request.body ?? "");
    expect(body.model).toBe("claude-3-5-sonnet-20241022");
  });

  test("options can pin another anthropic-version and add anthropic-beta", () => {
    const request = toMessagesRequest(chat(), { ...ctx, options: { anthropic_version: "2024-01-01", anthropic_beta: ["a-1", "b-2"] } });
    expect(request.headers["anthropic-version"]).toBe("2024-01-01");
    expect(request.headers["anthropic-beta"]).toBe("a-1,b-2");
  });

  test("stream: true only when the attempt streams", () => {
    expect(translate().body.stream).toBeUndefined();
    expect(translate({ stream: true, stream_options: { include_usage: true } }, { stream: true }).body).toMatchObject({ stream: true });
    expect(translate({ stream: true, stream_options: { include_usage: true } }, { stream: true }).body).not.toHaveProperty("stream_options");
  });
});

describe("messages", () => {
  test("system and developer messages become the top-level system, in order", () => {
    const { body } = translate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "hi" },
      ],
    });
    expect(body.system).toBe("Be brief.\n\nAnswer in French.");
    expect(body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
  });

  test("multi-part user content: text, data: URL images as base64, http(s) images as url", () => {
    const { body } = translate({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "high" } },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "what is this?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
        ],
      },
    ]);
  });

  test("an image URL that is neither http(s) nor a base64 data: URL is refused with its place", () => {
    const bad = { role: "user" as const, content: [{ type: "image_url", image_url: { url: "ftp://x/y.png" } }] };
    expect(() => translate({ messages: [bad] })).toThrow("messages[0].content[0]");
  });

  test("assistant tool_calls become tool_use blocks with parsed input; tool messages become merged tool_result turns", () => {
    const { body } = translate({
      messages: [
        { role: "user", content: "weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "toolu_1", content: "sunny" },
        { role: "tool", tool_call_id: "toolu_2", content: [{ type: "text", text: "rainy" }] },
        { role: "user", content: "thanks, and tomorrow?" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "weather in Paris and Rome?" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "toolu_2", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "sunny" },
          { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "rainy" }] },
          { type: "text", text: "thanks, and tomorrow?" },
        ],
      },
    ]);
  });

  test("assistant text is kept before its tool calls; empty text is left out", () => {
    const { body } = translate({
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: "Checking.", tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "" } }] },
        { role: "tool", tool_call_id: "t1", content: "done" },
        { role: "assistant", content: "", tool_calls: [{ id: "t2", type: "function", function: { name: "f", arguments: "{}" } }] },
      ],
    });
    const turns = body.messages as { content: unknown[] }[];
    expect(turns[1]?.content).toEqual([{ type: "text", text: "Checking." }, { type: "tool_use", id: "t1", name: "f", input: {} }]);
    expect(turns[3]?.content).toEqual([{ type: "tool_use", id: "t2", name: "f", input: {} }]);
  });

  test("tool call arguments that are not JSON are refused, naming the call", () => {
    const messages: ChatRequest["messages"] = [
      { role: "user", content: "go" },
      { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{oops" } }] },
    ];
    expect(() => translate({ messages })).toThrow("messages[1].tool_calls[0].function.arguments is not valid JSON");
  });

  test("consecutive same-role messages are merged into one turn", () => {
    const { body } = translate({
      messages: [
        { role: "user", content: "one" },
        { role: "user", content: "two" },
        { role: "assistant", content: "a" },
        { role: "assistant", content: "b" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "one" }, { type: "text", text: "two" }] },
      { role: "assistant", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
    ]);
  });
});

describe("parameters", () => {
  test("tools become {name, description, input_schema}", () => {
    const { body } = translate({ tools: [WEATHER, { type: "function", function: { name: "ping" } }] });
    expect(body.tools).toEqual([
      { name: "get_weather", description: "Weather", input_schema: WEATHER.function.parameters },
      { name: "ping", input_schema: { type: "object", properties: {} } },
    ]);
    expect(body.tool_choice).toBeUndefined();
  });

  test("tool_choice auto / required / none / named", () => {
    expect(translate({ tools: [WEATHER], tool_choice: "auto" }).body.tool_choice).toEqual({ type: "auto" });
    expect(translate({ tools: [WEATHER], tool_choice: "required" }).body.tool_choice).toEqual({ type: "any" });
    expect(translate({ tools: [WEATHER], tool_choice: "none" }).body.tool_choice).toEqual({ type: "none" });
    const named = translate({ tools: [WEATHER], tool_choice: { type: "function", function: { name: "get_weather" } } });
    expect(named.body.tool_choice).toEqual({ type: "tool", name: "get_weather" });
  });

  test("parallel_tool_calls: false -> disable_parallel_tool_use", () => {
    expect(translate({ tools: [WEATHER], parallel_tool_calls: false }).body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    const required = translate({ tools: [WEATHER], tool_choice: "required", parallel_tool_calls: false });
    expect(required.body.tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(translate({ tools: [WEATHER], parallel_tool_calls: true }).body.tool_choice).toBeUndefined();
    expect(translate({ tools: [WEATHER], parallel_tool_calls: false }).body).not.toHaveProperty("parallel_tool_calls");
  });

  test("stop (string or array) -> stop_sequences", () => {
    expect(translate({ stop: "END" }).body.stop_sequences).toEqual(["END"]);
    expect(translate({ stop: ["a", "b"] }).body.stop_sequences).toEqual(["a", "b"]);
    expect(translate({ stop: null as unknown as string }).body).not.toHaveProperty("stop_sequences");
    expect(translate({ stop: "END" }).body).not.toHaveProperty("stop");
  });

  test("max_tokens: max_completion_tokens, then max_tokens, then the documented default", () => {
    expect(ANTHROPIC_DEFAULT_MAX_TOKENS).toBe(4096);
    expect(translate().body.max_tokens).toBe(4096);
    expect(translate({ max_tokens: 100 }).body.max_tokens).toBe(100);
    expect(translate({ max_tokens: 100, max_completion_tokens: 200 }).body.max_tokens).toBe(200);
    expect(translate({ max_completion_tokens: 200 }).body).not.toHaveProperty("max_completion_tokens");
  });

  test("temperature 0-1 passes; above 1 is clamped to 1 and named as dropped", () => {
    expect(translate({ temperature: 0.7 })).toEqual(expect.objectContaining({ dropped: [] }));
    expect(translate({ temperature: 0.7 }).body.temperature).toBe(0.7);
    expect(translate({ temperature: 1 }).dropped).toEqual([]);
    const hot = translate({ temperature: 1.6 });
    expect(hot.body.temperature).toBe(1);
    expect(hot.dropped).toEqual(["temperature"]);
  });

  test("top_p passes; user -> metadata.user_id", () => {
    const { body, dropped } = translate({ top_p: 0.9, user: "user-42" });
    expect(body.top_p).toBe(0.9);
    expect(body.metadata).toEqual({ user_id: "user-42" });
    expect(body).not.toHaveProperty("user");
    expect(dropped).toEqual([]);
  });

  test("n > 1, logprobs, penalties, seed and logit_bias are removed and named", () => {
    const { body, dropped } = translate({
      n: 2,
      logprobs: true,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      seed: 7,
      logit_bias: { "50256": -100 },
    });
    expect(dropped.sort()).toEqual(["frequency_penalty", "logit_bias", "logprobs", "n", "presence_penalty", "seed"]);
    for (const name of dropped) expect(body).not.toHaveProperty(name);
  });

  test("OpenAI's neutral values ask for nothing: removed without being named", () => {
    const { body, dropped } = translate({ n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, response_format: { type: "text" } });
    expect(dropped).toEqual([]);
    expect(body).not.toHaveProperty("n");
    expect(body).not.toHaveProperty("response_format");
  });

  test("parameters keyway does not know (top_k, thinking) pass through unchanged", () => {
    const { body, dropped } = translate({ top_k: 5, thinking: { type: "enabled", budget_tokens: 2048 } });
    expect(body.top_k).toBe(5);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(dropped).toEqual([]);
  });

  test("the request's dropped list reaches UpstreamRequest.dropped", () => {
    expect(toMessagesRequest(chat({ seed: 1 }), ctx).dropped).toEqual(["seed"]);
  });
});
