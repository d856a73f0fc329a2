// Unit tests: each rule that turns an OpenAI chat request into a Gemini generateContent request.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../../src/core/errors.ts";
import type { ChatRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { geminiChatRequest, toGeminiChatBody } from "../../../src/providers/google/chat-request.ts";
import { toGeminiSchema } from "../../../src/providers/google/schema.ts";

const ctx = (over: Partial<ProviderContext> = {}): ProviderContext => ({
  provider: "google",
  model: "gemini-2.0-flash",
  baseUrl: "https://generativelanguage.googleapis.com",
  apiKey: "AIzaSyTest",
  stream: false,
  options: {},
  ...over,
});

const body = (request: Partial<ChatRequest>, model = "gemini-2.0-flash") =>
  toGeminiChatBody({ model, messages: [{ role: "user", content: "hi" }], ...request } as ChatRequest, model);

describe("google chat request: URL and headers", () => {
  test("non-stream: generateContent, key in x-goog-api-key and not in the URL", () => {
    const request = geminiChatRequest({ model: "gemini-2.0-flash", messages: [{ role: "user", content: "hi" }] }, ctx());
    expect(request.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
    expect(request.headers["x-goog-api-key"]).toBe("AIzaSyTest");
    expect(request.url).not.toContain("AIza");
    expect(request.dropped).toBeUndefined();
  });

  test("safety settings configured with the key or provider apply unless the request brings its own", () => {
    const messages: ChatRequest["messages"] = [{ role: "user", content: "hi" }];
    const list = [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }];
    const sentWith = (options: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      JSON.parse(geminiChatRequest({ model: "gemini-2.0-flash", messages, ...extra }, ctx({ options })).body ?? "{}").safetySettings;
    expect(sentWith({ safety_settings: list })).toEqual(list);
    expect(sentWith({ safety_settings: { HARM_CATEGORY_HARASSMENT: "BLOCK_ONLY_HIGH" } })).toEqual(list);
    expect(sentWith({ safety_settings: list }, { safetySettings: [] })).toEqual([]);
    expect(sentWith({})).toBeUndefined();
  });

  test("stream: streamGenerateContent?alt=sse", () => {
    const request = geminiChatRequest({ model: "gemini-2.0-flash", messages: [{ role: "user", content: "hi" }], stream: true }, ctx({ stream: true }));
    expect(request.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    expect(JSON.parse(request.body ?? "{}")).not.toHaveProperty("stream");
  });
});

describe("google chat request: messages", () => {
  test("system and developer messages become systemInstruction", () => {
    const { payload } = body({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Use French." }] },
        { role: "user", content: "hi" },
      ],
    });
    expect(payload.systemInstruction).toEqual({ parts: [{ text: "Be brief." }, { text: "Use French." }] });
    expect(payload.contents).toEqual([{ role: "user", parts: [{ text: "hi" }] }]);
  });

  test("user and assistant turns become user and model; consecutive same-role turns merge", () => {
    const { payload } = body({
      messages: [
        { role: "user", content: "one" },
        { role: "user", content: "two" },
        { role: "assistant", content: "three" },
        { role: "user", content: "four" },
      ],
    });
    expect(payload.contents).toEqual([
      { role: "user", parts: [{ text: "one" }, { text: "two" }] },
      { role: "model", parts: [{ text: "three" }] },
      { role: "user", parts: [{ text: "four" }] },
    ]);
  });

  test("data: image URLs become inlineData; http(s) image URLs become fileData with a guessed mime type", () => {
    const { payload } = body({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "compare" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.webp?x=1" } },
            { type: "image_url", image_url: { url: "https://example.com/photo" } },
          ],
        },
      ],
    });
    expect(payload.contents).toEqual([
      {
        role: "user",
        parts: [
          { text: "compare" },
          { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
          { fileData: { fileUri: "https://example.com/cat.webp?x=1", mimeType: "image/webp" } },
          { fileData: { fileUri: "https://example.com/photo", mimeType: "image/jpeg" } },
        ],
      },
    ]);
  });

  test("a data: URL that is not base64 is invalid_request naming the part", () => {
    const call = () => body({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png,raw" } }] }] });
    expect(call).toThrow(GatewayError);
    try {
      call();
    } catch (error) {
      expect((error as GatewayError).param).toBe("messages[0].content[0]");
    }
  });

  test("assistant tool_calls become functionCall parts; tool results become functionResponse parts in a user turn", () => {
    const { payload } = body({
      messages: [
        { role: "user", content: "weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_1", type: "function", function: { name: "get_time", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_0", content: "sunny" },
        { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "noon" }] },
      ],
    });
    expect(payload.contents).toEqual([
      { role: "user", parts: [{ text: "weather in Paris and Rome?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { city: "Paris" } } },
          { functionCall: { name: "get_time", args: { city: "Rome" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { content: "sunny" } } },
          { functionResponse: { name: "get_time", response: { content: "noon" } } },
        ],
      },
    ]);
  });

  test("a tool result names the most recent call with its id (ids repeat across turns)", () => {
    const { payload } = body({
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_0", type: "function", function: { name: "first", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "call_0", content: "1" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_0", type: "function", function: { name: "second", arguments: "" } }] },
        { role: "tool", tool_call_id: "call_0", content: "2" },
      ],
    });
    const contents = payload.contents as { parts: { functionResponse?: { name: string } }[] }[];
    expect(contents[4]?.parts[0]?.functionResponse?.name).toBe("second");
  });

  test("a tool result for an unknown call id is invalid_request", () => {
    expect(() => body({ messages: [{ role: "user", content: "a" }, { role: "tool", tool_call_id: "nope", content: "x" }] })).toThrow(
      /no earlier assistant message made that call/,
    );
  });

  test("Gemini 3 replays function calls with the documented thought-signature sentinel; older models do not", () => {
    const messages: ChatRequest["messages"] = [
      { role: "user", content: "a" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "f", arguments: "{}" } },
          { id: "c2", type: "function", function: { name: "g", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "1" },
      { role: "tool", tool_call_id: "c2", content: "2" },
    ];
    const modelParts = (model: string) => (body({ messages }, model).payload.contents as { parts: Record<string, unknown>[] }[])[1]?.parts;
    expect(modelParts("gemini-3-pro-preview")?.[0]?.thoughtSignature).toBe("skip_thought_signature_validator");
    expect(modelParts("gemini-3-pro-preview")?.[1]?.thoughtSignature).toBeUndefined();
    expect(modelParts("gemini-2.5-flash")?.[0]?.thoughtSignature).toBeUndefined();
  });
});

describe("google chat request: tools", () => {
  const weather = {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        additionalProperties: false,
        properties: { city: { type: "string" }, unit: { type: ["string", "null"], enum: ["c", "f", null] } },
        required: ["city"],
      },
      strict: true,
    },
  };

  test("tools become functionDeclarations with the keys Gemini rejects stripped", () => {
    const { payload } = body({ tools: [weather] });
    expect(payload.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Weather for a city",
            parameters: {
              type: "OBJECT",
              properties: { city: { type: "STRING" }, unit: { type: "STRING", nullable: true, enum: ["c", "f"] } },
              required: ["city"],
            },
          },
        ],
      },
    ]);
    expect(payload.toolConfig).toBeUndefined();
  });

  test("a function without parameters leaves them unset", () => {
    const { payload } = body({ tools: [{ type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } }] });
    expect(payload.tools).toEqual([{ functionDeclarations: [{ name: "now" }] }]);
  });

  test("tool_choice auto / required / none / named -> functionCallingConfig", () => {
    expect(body({ tools: [weather], tool_choice: "auto" }).payload.toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });
    expect(body({ tools: [weather], tool_choice: "required" }).payload.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(body({ tools: [weather], tool_choice: "none" }).payload.toolConfig).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(body({ tools: [weather], tool_choice: { type: "function", function: { name: "get_weather" } } }).payload.toolConfig).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] },
    });
  });

  test("parallel_tool_calls: false cannot be honoured and is reported", () => {
    expect(body({ tools: [weather], parallel_tool_calls: false }).dropped).toEqual(["parallel_tool_calls"]);
    expect(body({ tools: [weather], parallel_tool_calls: true }).dropped).toEqual([]);
  });
});

describe("google chat request: generation settings and the rest", () => {
  test("sampling settings go to generationConfig", () => {
    const { payload } = body({ temperature: 0.2, top_p: 0.9, max_tokens: 100, stop: "END", n: 2, presence_penalty: 0.5, frequency_penalty: 0.25, seed: 7 });
    expect(payload.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 100,
      stopSequences: ["END"],
      candidateCount: 2,
      presencePenalty: 0.5,
      frequencyPenalty: 0.25,
      seed: 7,
    });
  });

  test("max_completion_tokens wins over max_tokens; stop arrays stay arrays", () => {
    const { payload } = body({ max_tokens: 10, max_completion_tokens: 20, stop: ["a", "b"] });
    expect(payload.generationConfig).toEqual({ maxOutputTokens: 20, stopSequences: ["a", "b"] });
  });

  test("response_format json_object and json_schema", () => {
    expect(body({ response_format: { type: "json_object" } }).payload.generationConfig).toEqual({ responseMimeType: "application/json" });
    const schema = { type: "object", properties: { n: { type: "integer" } }, required: ["n"], additionalProperties: false };
    expect(body({ response_format: { type: "json_schema", json_schema: { name: "x", schema, strict: true } } }).payload.generationConfig).toEqual({
      responseMimeType: "application/json",
      responseSchema: { type: "OBJECT", properties: { n: { type: "INTEGER" } }, required: ["n"] },
    });
  });

  test("user and logit_bias are dropped and reported", () => {
    const { payload, dropped } = body({ user: "u-1", logit_bias: { "42": 1 } });
    expect(dropped).toEqual(["user", "logit_bias"]);
    expect(payload).not.toHaveProperty("user");
    expect(payload).not.toHaveProperty("logit_bias");
  });

  test("unknown provider parameters pass through to the top level; top_k goes to generationConfig", () => {
    const safetySettings = [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }];
    const { payload, dropped } = body({ safetySettings, top_k: 40, stream_options: { include_usage: true } });
    expect(payload.safetySettings).toEqual(safetySettings);
    expect(payload.generationConfig).toEqual({ topK: 40 });
    expect(payload).not.toHaveProperty("stream_options");
    expect(dropped).toEqual([]);
  });

  test("a client's own generationConfig is kept and OpenAI settings are added to it", () => {
    const { payload } = body({ generationConfig: { thinkingConfig: { thinkingBudget: 0 } }, temperature: 1 });
    expect(payload.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 }, temperature: 1 });
  });
});

describe("JSON Schema -> Gemini Schema", () => {
  test("anyOf with null becomes nullable; nested items and properties convert", () => {
    expect(
      toGeminiSchema({
        type: "object",
        properties: {
          tags: { type: "array", items: { type: "string", minLength: 1 } },
          note: { anyOf: [{ type: "string" }, { type: "null" }], description: "optional" },
          ref: { $ref: "#/defs/x" },
        },
      }),
    ).toEqual({
      type: "OBJECT",
      properties: {
        tags: { type: "ARRAY", items: { type: "STRING", minLength: 1 } },
        note: { type: "STRING", nullable: true, description: "optional" },
        ref: {},
      },
    });
  });
});
