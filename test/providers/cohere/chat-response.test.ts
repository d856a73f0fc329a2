// Cohere v2 chat answers and error bodies translated to OpenAI's shapes and keyway's failure kinds.
import { describe, expect, test } from "bun:test";
import type { ProviderContext } from "../../../src/plugins/sdk.ts";
import { fromCohereChat } from "../../../src/providers/cohere/chat-response.ts";
import { mapCohereError } from "../../../src/providers/cohere/errors.ts";

const ctx: ProviderContext = { provider: "cohere", model: "command-a-03-2025", baseUrl: "https://api.cohere.com", apiKey: "k", stream: false, options: {} };

describe("cohere chat response", () => {
  test("text parts are joined; id kept; model is the requested one; usage from billed_units (what Cohere charges)", () => {
    const answer = fromCohereChat(
      {
        id: "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
        finish_reason: "COMPLETE",
        message: { role: "assistant", content: [{ type: "text", text: "Hello" }, { type: "text", text: ", world" }] },
        usage: { billed_units: { input_tokens: 5, output_tokens: 418 }, tokens: { input_tokens: 71, output_tokens: 418 }, cached_tokens: 64 },
      },
      ctx,
    );
    expect(answer).toMatchObject({
      id: "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
      object: "chat.completion",
      model: "command-a-03-2025",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello, world" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 418, total_tokens: 423, prompt_tokens_details: { cached_tokens: 64 } },
    });
    expect(answer.choices[0]?.message).not.toHaveProperty("tool_calls");
  });

  test("tool calls: content null, tool plan left out, finish tool_calls, usage from billed_units when tokens are absent", () => {
    const answer = fromCohereChat(
      {
        id: "x",
        finish_reason: "TOOL_CALL",
        message: {
          role: "assistant",
          tool_plan: "I will check the weather.",
          tool_calls: [
            { id: "get_weather_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Madrid"}' } },
            { id: "get_weather_2", type: "function", function: { name: "get_weather", arguments: '{"location":"Brasilia"}' } },
          ],
        },
        usage: { billed_units: { input_tokens: 37, output_tokens: 28 } },
      },
      ctx,
    );
    const choice = answer.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls?.map((c) => [c.id, c.function.arguments])).toEqual([
      ["get_weather_1", '{"location":"Madrid"}'],
      ["get_weather_2", '{"location":"Brasilia"}'],
    ]);
    expect(answer.usage).toEqual({ prompt_tokens: 37, completion_tokens: 28, total_tokens: 65 });
    expect(JSON.stringify(answer)).not.toContain("I will check");
  });

  test("finish reasons: STOP_SEQUENCE is stop, MAX_TOKENS is length, ERROR is a failure", () => {
    const reply = (finish_reason: string) => ({ id: "x", finish_reason, message: { role: "assistant", content: [{ type: "text", text: "t" }] } });
    expect(fromCohereChat(reply("STOP_SEQUENCE"), ctx).choices[0]?.finish_reason).toBe("stop");
    expect(fromCohereChat(reply("MAX_TOKENS"), ctx).choices[0]?.finish_reason).toBe("length");
    expect(() => fromCohereChat(reply("ERROR"), ctx)).toThrow("ERROR");
  });
});

describe("cohere errors", () => {
  const headers = (init: Record<string, string> = {}) => new Headers(init);
  test("401 and 498 are auth, with Cohere's message", () => {
    expect(mapCohereError(401, '{"id":"1","message":"invalid api token"}', headers())).toMatchObject({ kind: "auth", message: "invalid api token" });
    expect(mapCohereError(498, '{"message":"invalid token"}', headers()).kind).toBe("auth");
  });
  test("429 is rate_limit with Retry-After; 5xx server_error", () => {
    expect(mapCohereError(429, '{"message":"You are past the per minute request limit"}', headers({ "retry-after": "12" }))).toMatchObject({
      kind: "rate_limit",
      retryAfterSeconds: 12,
    });
    expect(mapCohereError(503, '{"message":"service unavailable"}', headers()).kind).toBe("server_error");
  });
  test("404 about a model is model_not_available; 400 and 422 are bad_request", () => {
    const notFound = "model 'command-x' not found, make sure the correct model ID was used and that you have access to the model.";
    expect(mapCohereError(404, JSON.stringify({ id: "1", message: notFound }), headers())).toMatchObject({ kind: "model_not_available", message: notFound });
    expect(mapCohereError(400, '{"message":"invalid request: temperature must be between 0 and 1.0 inclusive."}', headers()).kind).toBe("bad_request");
    expect(mapCohereError(422, '{"message":"unprocessable"}', headers()).kind).toBe("bad_request");
  });
});
