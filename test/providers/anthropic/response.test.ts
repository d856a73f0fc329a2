import { describe, expect, test } from "bun:test";
import { finishReasonOf, fromMessagesResponse } from "../../../src/providers/anthropic/response.ts";

const message = (extra: Record<string, unknown> = {}) => ({
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  type: "message",
  role: "assistant",
  model: "claude-3-5-sonnet-20241022",
  content: [{ type: "text", text: "Hello!" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  ...extra,
});

describe("Messages answer -> chat.completion", () => {
  test("text blocks are joined; id and model kept; object chat.completion", () => {
    const completion = fromMessagesResponse(message({ content: [{ type: "text", text: "Hello, " }, { type: "text", text: "world." }] }));
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toBe("msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(completion.model).toBe("claude-3-5-sonnet-20241022");
    expect(typeof completion.created).toBe("number");
    expect(completion.choices).toEqual([
      { index: 0, message: { role: "assistant", content: "Hello, world." }, finish_reason: "stop", logprobs: null },
    ]);
  });

  test("tool_use blocks become tool_calls with the id kept and input as a JSON string", () => {
    const completion = fromMessagesResponse(
      message({
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "toolu_01B", name: "get_weather", input: { city: "Rome" } },
        ],
        stop_reason: "tool_use",
      }),
    );
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("Let me check.");
    expect(choice?.message.tool_calls).toEqual([
      { id: "toolu_01A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "toolu_01B", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
    ]);
  });

  test("an answer with only tool calls has content null; thinking blocks are skipped", () => {
    const completion = fromMessagesResponse(
      message({
        content: [
          { type: "thinking", thinking: "hmm", signature: "sig" },
          { type: "tool_use", id: "toolu_1", name: "f", input: {} },
        ],
        stop_reason: "tool_use",
      }),
    );
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(completion.choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe("{}");
  });

  test("stop reasons map to OpenAI finish reasons", () => {
    expect(finishReasonOf("end_turn")).toBe("stop");
    expect(finishReasonOf("stop_sequence")).toBe("stop");
    expect(finishReasonOf("max_tokens")).toBe("length");
    expect(finishReasonOf("tool_use")).toBe("tool_calls");
    expect(finishReasonOf("refusal")).toBe("content_filter");
    expect(finishReasonOf(null)).toBeNull();
    expect(fromMessagesResponse(message({ stop_reason: "max_tokens" })).choices[0]?.finish_reason).toBe("length");
    expect(fromMessagesResponse(message({ stop_reason: "refusal" })).choices[0]?.finish_reason).toBe("content_filter");
  });

  test("usage: cached and cache-creation input count as prompt tokens; cached_tokens are the reads, cache_write_tokens the writes", () => {
    const completion = fromMessagesResponse(
      message({ usage: { input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 7 } }),
    );
    expect(completion.usage).toEqual({
      prompt_tokens: 130,
      completion_tokens: 7,
      total_tokens: 137,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
    });
  });

  test("usage with null cache counters (as the API may send) counts them as 0", () => {
    const completion = fromMessagesResponse(message({ usage: { input_tokens: 3, output_tokens: 2, cache_read_input_tokens: null, cache_creation_input_tokens: null } }));
    expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, prompt_tokens_details: { cached_tokens: 0 } });
  });

  test("something that is not a Messages object is refused", () => {
    expect(() => fromMessagesResponse({ choices: [] })).toThrow("type 'message'");
  });
});
