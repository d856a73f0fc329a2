// OpenAI chat requests translated to Cohere v2 /v2/chat bodies.
import { describe, expect, test } from "bun:test";
import type { ChatRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { toCohereChatBody, toCohereChatRequest } from "../../../src/providers/cohere/chat-request.ts";

const ctx: ProviderContext = { provider: "cohere", model: "command-a-03-2025", baseUrl: "https://api.cohere.com", apiKey: "co-key", stream: false, options: {} };
const WEATHER = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } } },
};
const body = (request: Partial<ChatRequest>, context = ctx) =>
  toCohereChatBody({ model: "cohere/command-a-03-2025", messages: [{ role: "user", content: "hi" }], ...request }, context);

describe("cohere chat request", () => {
  test("URL, bearer key, stream flag and the upstream model id", () => {
    const upstream = toCohereChatRequest({ model: "cohere/command-a-03-2025", messages: [{ role: "user", content: "hi" }] }, { ...ctx, stream: true });
    expect(upstream.url).toBe("https://api.cohere.com/v2/chat");
    expect(upstream.headers.authorization).toBe("Bearer co-key");
    expect(upstream.headers.accept).toBe("text/event-stream");
    expect(JSON.parse(upstream.body ?? "")).toEqual({ model: "command-a-03-2025", messages: [{ role: "user", content: "hi" }], stream: true });
    expect(upstream.dropped).toBeUndefined();
  });

  test("messages of every role: developer is system, images pass, assistant tool calls and tool results", () => {
    const { body: out } = body({
      messages: [
        { role: "developer", content: [{ type: "text", text: "Be brief." }] },
        { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "low" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
        { role: "assistant", content: "It is sunny." },
      ],
    });
    expect(out.messages).toEqual([
      { role: "system", content: [{ type: "text", text: "Be brief." }] },
      {
        role: "user",
        content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "low" } }],
      },
      { role: "assistant", tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
      { role: "assistant", content: "It is sunny." },
    ]);
  });

  test("tools keep their shape; strict on any tool becomes strict_tools", () => {
    const { body: out } = body({ tools: [{ ...WEATHER, function: { ...WEATHER.function, strict: true } }] });
    expect(out.tools).toEqual([WEATHER]);
    expect(out.strict_tools).toBe(true);
  });

  test("tool_choice: required and none are forced, auto is the default, a named function is that tool alone, required", () => {
    expect(body({ tools: [WEATHER], tool_choice: "required" }).body.tool_choice).toBe("REQUIRED");
    expect(body({ tools: [WEATHER], tool_choice: "none" }).body.tool_choice).toBe("NONE");
    expect(body({ tools: [WEATHER], tool_choice: "auto" }).body).not.toHaveProperty("tool_choice");
    const other = { type: "function" as const, function: { name: "get_time", parameters: { type: "object", properties: {} } } };
    const named = body({ tools: [other, WEATHER], tool_choice: { type: "function", function: { name: "get_weather" } } });
    expect(named.body.tool_choice).toBe("REQUIRED");
    expect((named.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(["get_weather"]);
    expect(named.dropped).toEqual([]);
    expect(() => body({ tools: [WEATHER], tool_choice: { type: "function", function: { name: "nope" } } })).toThrow("not one of the tools");
  });

  test("sampling and output parameters under Cohere's names", () => {
    const { body: out, dropped } = body({
      max_tokens: 10,
      max_completion_tokens: 20,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["a", "b"],
      seed: 3,
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
      response_format: { type: "json_object" },
    });
    expect(out).toMatchObject({ max_tokens: 20, temperature: 0.2, p: 0.9, stop_sequences: ["a", "b"], seed: 3, frequency_penalty: 0.1, presence_penalty: 0.2 });
    expect(out.response_format).toEqual({ type: "json_object" });
    expect(out).not.toHaveProperty("top_p");
    expect(out).not.toHaveProperty("stop");
    expect(out).not.toHaveProperty("max_completion_tokens");
    expect(dropped).toEqual([]);
  });

  test("json_schema becomes json_object with the schema", () => {
    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    expect(body({ response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } } }).body.response_format).toEqual({
      type: "json_object",
      json_schema: schema,
    });
  });

  test("n, logit_bias, user and message names are dropped and named; stream_options is consumed; unknown params pass", () => {
    const { body: out, dropped } = body({
      messages: [{ role: "user", content: "hi", name: "alice" }],
      n: 2,
      logit_bias: { "1": 5 },
      user: "u",
      stream_options: { include_usage: true },
      k: 10,
      safety_mode: "STRICT",
    });
    expect(dropped.sort()).toEqual(["logit_bias", "messages[].name", "n", "user"]);
    expect(out.messages).toEqual([{ role: "user", content: "hi" }]);
    expect(out).toMatchObject({ k: 10, safety_mode: "STRICT" });
    for (const param of ["n", "logit_bias", "user", "stream_options"]) expect(out).not.toHaveProperty(param);
  });

  test("content Cohere cannot take is refused with a clear message", () => {
    expect(() => body({ messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "wav" } }] }] })).toThrow(
      "Cohere does not accept 'input_audio' content parts",
    );
    expect(() => body({ messages: [{ role: "function", name: "f", content: "x" }] })).toThrow("'function' messages");
  });
});
