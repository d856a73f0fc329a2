// OpenAI's native Responses endpoint: the request built as the adapter builds every OpenAI request, and what keyway
// reads from an answer or an event stream it passes on untouched (usage with its details, model, how it ended).
import { describe, expect, test } from "bun:test";
import openai from "../../src/providers/openai.ts";
import openaiCompatible from "../../src/providers/openai-compatible.ts";
import { sseParser } from "../../src/gateway/sse.ts";
import type { ChatCompletionChunk, ProviderContext } from "../../src/plugins/sdk.ts";

const ctx: ProviderContext = { provider: "openai", model: "gpt-4o", baseUrl: "https://api.openai.com/v1", apiKey: "sk-test0000000000", stream: false, options: { organization_id: "org-1" } };
const native = openai.endpoints.native?.["openai-responses"];
const usage = { input_tokens: 30, input_tokens_details: { cached_tokens: 10, cache_write_tokens: 5 }, output_tokens: 12, output_tokens_details: { reasoning_tokens: 4 }, total_tokens: 42 };
const chatUsage = { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, prompt_tokens_details: { cached_tokens: 10, cache_write_tokens: 5 }, completion_tokens_details: { reasoning_tokens: 4 } };

describe("openai-responses native endpoint", () => {
  test("only OpenAI itself declares it; OpenAI-compatible servers get the translated call", () => {
    expect(native).toBeDefined();
    expect(openaiCompatible.endpoints.native).toBeUndefined();
  });

  test("POST {baseUrl}/responses with the key, the organization header and the body as given", () => {
    const request = native?.toUpstream({ model: "gpt-4o", input: "hi", previous_response_id: "resp_1", store: true }, ctx, {});
    expect(request?.url).toBe("https://api.openai.com/v1/responses");
    expect(request?.headers).toEqual({ authorization: "Bearer sk-test0000000000", "content-type": "application/json", "openai-organization": "org-1" });
    expect(JSON.parse(String(request?.body))).toEqual({ model: "gpt-4o", input: "hi", previous_response_id: "resp_1", store: true });
  });

  test("a JSON answer: usage in chat's names with cache and reasoning details, the model, how it ended", () => {
    expect(native?.read({ object: "response", status: "completed", model: "gpt-4o-2024-08-06", output: [{ type: "message" }], usage })).toEqual({ usage: chatUsage, model: "gpt-4o-2024-08-06", finishReasons: ["stop"] });
    expect(native?.read({ status: "completed", model: "m", output: [{ type: "function_call" }], usage }).finishReasons).toEqual(["tool_calls"]);
    expect(native?.read({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, model: "m", output: [], usage }).finishReasons).toEqual(["length"]);
  });

  test("a stream: text deltas count as chunks, response.completed gives usage and model, and is the last event", () => {
    const frames = [
      ["response.created", { type: "response.created", sequence_number: 0, response: { id: "resp_1", model: "gpt-4o-2024-08-06", status: "in_progress", output: [], usage: null } }],
      ["response.output_text.delta", { type: "response.output_text.delta", sequence_number: 1, item_id: "msg_1", output_index: 0, content_index: 0, delta: "Hi" }],
      ["response.output_text.delta", { type: "response.output_text.delta", sequence_number: 2, item_id: "msg_1", output_index: 0, content_index: 0, delta: "!" }],
      ["response.completed", { type: "response.completed", sequence_number: 3, response: { id: "resp_1", model: "gpt-4o-2024-08-06", status: "completed", output: [{ type: "message" }], usage } }],
    ] as const;
    const parser = sseParser();
    const events = parser.push(frames.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join(""));
    const reader = native?.stream;
    if (!native || !reader) throw new Error("no native endpoint");
    const state = reader.start(ctx, { model: "gpt-4o", messages: [] });
    const chunks: ChatCompletionChunk[] = events.flatMap((event) => reader.translate(event, state));
    expect(chunks.filter((c) => c.choices.length > 0 && c.choices[0]?.delta.content).map((c) => c.choices[0]?.delta.content)).toEqual(["Hi", "!"]);
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(["stop"]);
    expect(chunks.at(-1)?.usage).toEqual(chatUsage);
    expect(chunks.at(-1)?.model).toBe("gpt-4o-2024-08-06");
    expect(events.map((event) => native.isLast(event))).toEqual([false, false, false, true]);
    expect(native.isLast({ data: JSON.stringify({ type: "response.failed", response: {} }) })).toBe(true);
    expect(native.isLast({ event: "response.incomplete", data: "{}" })).toBe(true);
  });
});
