// Anthropic request fidelity: JSON answers (structured outputs, or a forced answer tool turned back into text, in
// answers and streams), the temperature/top_p pair on newer models, and prompt-cache breakpoints passed through.
import { describe, expect, test } from "bun:test";
import { sseParser } from "../../../src/gateway/sse.ts";
import type { ChatRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { JSON_ANSWER_TOOL, jsonAnswerTool } from "../../../src/providers/anthropic/json-output.ts";
import { claudeVersion, hasStructuredOutputs, refusesTemperatureWithTopP } from "../../../src/providers/anthropic/models.ts";
import { buildMessagesBody } from "../../../src/providers/anthropic/request.ts";
import { fromMessagesResponse } from "../../../src/providers/anthropic/response.ts";
import { anthropicStream } from "../../../src/providers/anthropic/stream.ts";

const ctx = (model: string, options: Record<string, unknown> = {}): ProviderContext => ({
  provider: "anthropic",
  model,
  baseUrl: "https://api.anthropic.com",
  apiKey: "sk-ant-api03-unit",
  stream: false,
  options,
});

const OLD = "claude-3-5-sonnet-20241022";
const NEW = "claude-sonnet-4-5-20250929";
const SCHEMA = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const FORMAT = { type: "json_schema", json_schema: { name: "place", schema: SCHEMA, strict: true } };
const WEATHER = { type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };

const chat = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: "x", messages: [{ role: "user", content: "hi" }], ...extra });

describe("which Claude models have which rules", () => {
  test("the generation is read from old and new ids", () => {
    expect(claudeVersion("claude-3-5-sonnet-20241022")).toEqual({ major: 3, minor: 5 });
    expect(claudeVersion("claude-3-haiku-20240307")).toEqual({ major: 3, minor: 0 });
    expect(claudeVersion("claude-sonnet-4-20250514")).toEqual({ major: 4, minor: 0 });
    expect(claudeVersion("claude-opus-4-1-20250805")).toEqual({ major: 4, minor: 1 });
    expect(claudeVersion("claude-haiku-4-5")).toEqual({ major: 4, minor: 5 });
    expect(claudeVersion("claude-opus-4-6")).toEqual({ major: 4, minor: 6 });
    expect(claudeVersion("my-finetune")).toBeUndefined();
  });

  test("structured outputs from Claude 4.5 on; options.structured_outputs overrides", () => {
    expect(hasStructuredOutputs(NEW, {})).toBe(true);
    expect(hasStructuredOutputs("claude-opus-4-5-20251101", {})).toBe(true);
    expect(hasStructuredOutputs("claude-opus-4-1-20250805", {})).toBe(false);
    expect(hasStructuredOutputs(OLD, {})).toBe(false);
    expect(hasStructuredOutputs("my-finetune", { structured_outputs: true })).toBe(true);
    expect(hasStructuredOutputs(NEW, { structured_outputs: false })).toBe(false);
  });

  test("temperature with top_p is refused from Opus 4.1 on", () => {
    expect(refusesTemperatureWithTopP("claude-opus-4-1-20250805")).toBe(true);
    expect(refusesTemperatureWithTopP(NEW)).toBe(true);
    expect(refusesTemperatureWithTopP("claude-sonnet-4-20250514")).toBe(false);
    expect(refusesTemperatureWithTopP(OLD)).toBe(false);
  });
});

describe("response_format on the Messages API", () => {
  test("json_schema on a model with structured outputs is output_config.format; the answer's text is the JSON", () => {
    const { body, dropped } = buildMessagesBody(chat({ response_format: FORMAT, output_config: { effort: "low" } }), ctx(NEW));
    expect(body.output_config).toEqual({ effort: "low", format: { type: "json_schema", schema: SCHEMA } });
    expect(body).not.toHaveProperty("tools");
    expect(body).not.toHaveProperty("response_format");
    expect(dropped).toEqual([]);
    expect(jsonAnswerTool(chat({ response_format: FORMAT }), ctx(NEW))).toBeUndefined();
  });

  test("json_schema on an older model forces the answer tool, whose schema is the client's", () => {
    const { body } = buildMessagesBody(chat({ response_format: FORMAT }), ctx(OLD));
    expect(body).not.toHaveProperty("output_config");
    expect(body.tools).toEqual([{ name: JSON_ANSWER_TOOL, description: expect.stringContaining("place"), input_schema: SCHEMA }]);
    expect(body.tool_choice).toEqual({ type: "tool", name: JSON_ANSWER_TOOL });
  });

  test("json_object forces the answer tool with an object schema, on every model", () => {
    const { body } = buildMessagesBody(chat({ response_format: { type: "json_object" } }), ctx(NEW));
    expect(body.tools).toEqual([expect.objectContaining({ name: JSON_ANSWER_TOOL, input_schema: { type: "object" } })]);
    expect(body.tool_choice).toEqual({ type: "tool", name: JSON_ANSWER_TOOL });
  });

  test("with the client's tools the model must call one of them or answer through the JSON tool; a named choice stays", () => {
    const free = buildMessagesBody(chat({ response_format: FORMAT, tools: [WEATHER] }), ctx(OLD)).body;
    expect((free.tools as { name: string }[]).map((t) => t.name)).toEqual(["get_weather", JSON_ANSWER_TOOL]);
    expect(free.tool_choice).toEqual({ type: "any" });
    const named = buildMessagesBody(chat({ response_format: FORMAT, tools: [WEATHER], tool_choice: { type: "function", function: { name: "get_weather" } } }), ctx(OLD)).body;
    expect(named.tool_choice).toEqual({ type: "tool", name: "get_weather" });
  });

  test("text asks for nothing; an unknown type is refused", () => {
    expect(buildMessagesBody(chat({ response_format: { type: "text" } }), ctx(OLD)).body).not.toHaveProperty("tools");
    expect(() => buildMessagesBody(chat({ response_format: { type: "yaml" } }), ctx(OLD))).toThrow("is not one of text, json_object, json_schema");
  });

  test("the answer tool's input comes back as the message text, the answer ends with stop", () => {
    const answer = fromMessagesResponse(
      {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: OLD,
        content: [{ type: "tool_use", id: "toolu_1", name: JSON_ANSWER_TOOL, input: { city: "Paris" } }],
        stop_reason: "tool_use",
        usage: { input_tokens: 5, output_tokens: 3 },
      },
      JSON_ANSWER_TOOL,
    );
    expect(answer.choices[0]?.message).toEqual({ role: "assistant", content: '{"city":"Paris"}' });
    expect(answer.choices[0]?.finish_reason).toBe("stop");
  });

  test("a client tool called instead stays a tool call", () => {
    const answer = fromMessagesResponse(
      {
        id: "msg_2",
        type: "message",
        role: "assistant",
        model: OLD,
        content: [{ type: "tool_use", id: "toolu_2", name: "get_weather", input: { city: "Paris" } }],
        stop_reason: "tool_use",
      },
      JSON_ANSWER_TOOL,
    );
    expect(answer.choices[0]?.finish_reason).toBe("tool_calls");
    expect(answer.choices[0]?.message.tool_calls?.[0]?.function.name).toBe("get_weather");
  });

  test("in a stream, the answer tool's input arrives as content deltas and the stream ends with stop", () => {
    const frames = [
      { type: "message_start", message: { id: "msg_3", model: OLD, usage: { input_tokens: 9, output_tokens: 1 } } },
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_3", name: JSON_ANSWER_TOOL, input: {} } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"city"' } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: ': "Paris"}' } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 12 } },
      { type: "message_stop" },
    ];
    const sse = frames.map((f) => `event: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`).join("");
    const parser = sseParser();
    const request = chat({ response_format: FORMAT });
    const state = anthropicStream.start({ ...ctx(OLD), stream: true }, request);
    const chunks = [...parser.push(sse), ...parser.end()].flatMap((event) => anthropicStream.translate(event, state));
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(JSON.parse(text)).toEqual({ city: "Paris" });
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(["stop"]);
  });
});

describe("temperature and top_p", () => {
  test("a model that refuses the pair gets temperature alone, and top_p is named as dropped", () => {
    const { body, dropped } = buildMessagesBody(chat({ temperature: 0.3, top_p: 0.9 }), ctx(NEW));
    expect(body.temperature).toBe(0.3);
    expect(body).not.toHaveProperty("top_p");
    expect(dropped).toEqual(["top_p"]);
  });

  test("older models get both; top_p alone is always sent", () => {
    expect(buildMessagesBody(chat({ temperature: 0.3, top_p: 0.9 }), ctx(OLD))).toMatchObject({ body: { temperature: 0.3, top_p: 0.9 }, dropped: [] });
    expect(buildMessagesBody(chat({ top_p: 0.9 }), ctx(NEW))).toMatchObject({ body: { top_p: 0.9 }, dropped: [] });
  });
});

describe("prompt caching: cache_control passes through", () => {
  const EPHEMERAL = { type: "ephemeral" };

  test("on content parts, on whole messages (their last block), on system messages and on tools", () => {
    const { body } = buildMessagesBody(
      chat({
        messages: [
          { role: "system", content: [{ type: "text", text: "A long policy.", cache_control: EPHEMERAL }] },
          { role: "system", content: "Be brief." },
          { role: "user", content: [{ type: "text", text: "A long document.", cache_control: { type: "ephemeral", ttl: "1h" } }, { type: "text", text: "Question?" }] },
          { role: "assistant", content: "Answer." },
          { role: "user", content: "Follow-up", cache_control: EPHEMERAL },
        ],
        tools: [{ ...WEATHER, cache_control: EPHEMERAL } as never],
      }),
      ctx(OLD),
    );
    expect(body.system).toEqual([
      { type: "text", text: "A long policy.", cache_control: EPHEMERAL },
      { type: "text", text: "Be brief." },
    ]);
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "A long document.", cache_control: { type: "ephemeral", ttl: "1h" } }, { type: "text", text: "Question?" }] },
      { role: "assistant", content: [{ type: "text", text: "Answer." }] },
      { role: "user", content: [{ type: "text", text: "Follow-up", cache_control: EPHEMERAL }] },
    ]);
    expect((body.tools as Record<string, unknown>[])[0]?.cache_control).toEqual(EPHEMERAL);
  });

  test("without breakpoints the system prompt stays one string", () => {
    const { body } = buildMessagesBody(chat({ messages: [{ role: "system", content: "One." }, { role: "system", content: "Two." }, { role: "user", content: "hi" }] }), ctx(OLD));
    expect(body.system).toBe("One.\n\nTwo.");
  });
});
