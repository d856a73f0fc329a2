// Unit tests: the streamGenerateContent translator, driven by recorded SSE sequences in Gemini's format.
import { describe, expect, test } from "bun:test";
import { sseParser } from "../../../src/gateway/sse.ts";
import type { ChatCompletionChunk, ChatRequest, ProviderContext } from "../../../src/plugins/sdk.ts";
import { geminiStream } from "../../../src/providers/google/stream.ts";

const ctx: ProviderContext = {
  provider: "google",
  model: "gemini-2.0-flash",
  baseUrl: "https://generativelanguage.googleapis.com",
  apiKey: "AIzaSyTest",
  stream: true,
  options: {},
};
const request: ChatRequest = { model: "gemini-2.0-flash", messages: [{ role: "user", content: "x" }], stream: true };

/** Runs a recorded byte stream through the SSE parser and the translator, as the relay does. */
function run(recorded: string): ChatCompletionChunk[] {
  const parser = sseParser();
  const state = geminiStream.start(ctx, request);
  const events = [...parser.push(recorded), ...parser.end()];
  return [...events.flatMap((event) => geminiStream.translate(event, state)), ...geminiStream.finish(state)];
}

// Recorded from streamGenerateContent?alt=sse: text, then two whole function calls, usage on every event.
const TEXT_THEN_TWO_CALLS = [
  `data: {"candidates": [{"content": {"parts": [{"text": "Let me check"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 30,"candidatesTokenCount": 3,"totalTokenCount": 33},"modelVersion": "gemini-2.0-flash","responseId": "resp-1"}`,
  `data: {"candidates": [{"content": {"parts": [{"text": " both cities."}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 30,"candidatesTokenCount": 6,"totalTokenCount": 36},"modelVersion": "gemini-2.0-flash","responseId": "resp-1"}`,
  `data: {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"city": "Paris"}}},{"functionCall": {"name": "get_weather","args": {"city": "Rome"}}}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 30,"candidatesTokenCount": 20,"totalTokenCount": 50},"modelVersion": "gemini-2.0-flash","responseId": "resp-1"}`,
]
  .map((line) => `${line}\r\n\r\n`)
  .join("");

describe("google stream translator", () => {
  test("text then two function calls: role first, text deltas, tool calls at indexes 0 and 1, finish, usage", () => {
    const chunks = run(TEXT_THEN_TWO_CALLS);
    expect(chunks.every((c) => c.id === "resp-1" && c.object === "chat.completion.chunk" && c.model === "gemini-2.0-flash")).toBe(true);
    expect(chunks[0]?.choices).toEqual([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Let me check both cities.");
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas).toEqual([
      { index: 0, id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { index: 1, id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
    ]);
    const finishes = chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter((f) => f !== null);
    expect(finishes).toEqual(["tool_calls"]);
    // The finish reason rides on the last content chunk (the second call), before the usage chunk.
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(chunks.at(-2)?.choices[0]?.delta.tool_calls?.[0]?.index).toBe(1);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 30, completion_tokens: 20, total_tokens: 50 } });
  });

  test("a plain text answer finishes with stop, then usage from the last usageMetadata", () => {
    const chunks = run(
      [
        `data: {"candidates": [{"content": {"parts": [{"text": "Hel"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 4,"totalTokenCount": 4}}`,
        `data: {"candidates": [{"content": {"parts": [{"text": "lo"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 4,"candidatesTokenCount": 2,"totalTokenCount": 6}}`,
      ].join("\n\n"),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hello");
    expect(chunks.at(-2)?.choices[0]).toEqual({ index: 0, delta: { content: "lo" }, finish_reason: "stop" });
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
    expect(chunks[0]?.id).toStartWith("chatcmpl-");
  });

  test("a finish reason in an event with no content gets an empty delta; SAFETY is content_filter", () => {
    const chunks = run(
      [
        `data: {"candidates": [{"content": {"parts": [{"text": "Sure"}],"role": "model"},"index": 0}]}`,
        `data: {"candidates": [{"finishReason": "SAFETY","index": 0,"safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT","probability": "HIGH","blocked": true}]}]}`,
      ].join("\n\n"),
    );
    expect(chunks.at(-1)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: "content_filter" });
  });

  test("a blocked prompt streams one content_filter choice", () => {
    const chunks = run(`data: {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},"usageMetadata": {"promptTokenCount": 9,"totalTokenCount": 9}}\n\n`);
    expect(chunks[0]?.choices).toEqual([{ index: 0, delta: { role: "assistant", content: null }, finish_reason: "content_filter" }]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 9 });
  });

  test("two candidates keep their own indexes and tool-call counters", () => {
    const chunks = run(
      `data: {"candidates": [{"content": {"parts": [{"text": "A"}]},"finishReason": "STOP","index": 0},{"content": {"parts": [{"functionCall": {"name": "f","args": {}}}]},"finishReason": "STOP","index": 1}]}\n\n`,
    );
    const second = chunks.flatMap((c) => c.choices).filter((choice) => choice.index === 1);
    expect(second.at(-1)).toEqual({
      index: 1,
      delta: { tool_calls: [{ index: 0, id: "call_0", type: "function", function: { name: "f", arguments: "{}" } }] },
      finish_reason: "tool_calls",
    });
  });

  test("a stream that ends before any finish reason is an error (Gemini sends no [DONE])", () => {
    expect(() => run(`data: {"candidates": [{"content": {"parts": [{"text": "cut"}]},"index": 0}]}\n\n`)).toThrow(/before Gemini sent a finish reason/);
    expect(() => run("")).toThrow(/finish reason/);
  });

  test("an error object or non-JSON in the stream is an error", () => {
    expect(() => run(`data: {"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}\n\n`)).toThrow(/overloaded/);
    expect(() => run("data: not json\n\n")).toThrow(/not JSON/);
  });
});
