// Unit tests: Gemini GenerateContentResponses (as the API sends them) -> OpenAI chat completions.
import { describe, expect, test } from "bun:test";
import type { ProviderContext } from "../../../src/plugins/sdk.ts";
import { finishReasonOf, toChatCompletion, usageOf } from "../../../src/providers/google/chat-response.ts";

const ctx: ProviderContext = {
  provider: "google",
  model: "gemini-2.0-flash",
  baseUrl: "https://generativelanguage.googleapis.com",
  apiKey: "AIzaSyTest",
  stream: false,
  options: {},
};

describe("google chat response", () => {
  test("text parts join; ids, model and usage come from the response", () => {
    const completion = toChatCompletion(
      {
        candidates: [
          {
            content: { parts: [{ text: "Hello " }, { text: "there" }], role: "model" },
            finishReason: "STOP",
            index: 0,
            safetyRatings: [{ category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" }],
          },
        ],
        usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 3, totalTokenCount: 15, cachedContentTokenCount: 4 },
        modelVersion: "gemini-2.0-flash-001",
        responseId: "abc123",
      },
      ctx,
    );
    expect(completion).toMatchObject({
      id: "abc123",
      object: "chat.completion",
      model: "gemini-2.0-flash-001",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } },
    });
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
  });

  test("functionCall parts become tool calls with call_<n> ids and JSON arguments; finish is tool_calls", () => {
    const completion = toChatCompletion(
      {
        candidates: [
          {
            content: {
              role: "model",
              parts: [
                { functionCall: { name: "get_weather", args: { city: "Paris" } } },
                { functionCall: { name: "get_time", args: { city: "Rome", tz: true } } },
              ],
            },
            finishReason: "STOP",
            index: 0,
          },
        ],
      },
      ctx,
    );
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "call_1", type: "function", function: { name: "get_time", arguments: '{"city":"Rome","tz":true}' } },
    ]);
    expect(completion.model).toBe("gemini-2.0-flash");
    expect(completion.id).toStartWith("chatcmpl-");
  });

  test("an id Gemini gives a function call is kept", () => {
    const completion = toChatCompletion({ candidates: [{ content: { parts: [{ functionCall: { id: "fc-9", name: "f", args: {} } }] }, finishReason: "STOP" }] }, ctx);
    expect(completion.choices[0]?.message.tool_calls?.[0]?.id).toBe("fc-9");
  });

  test("several candidates become several choices; thought parts stay hidden", () => {
    const completion = toChatCompletion(
      {
        candidates: [
          { content: { parts: [{ text: "thinking...", thought: true }, { text: "A" }] }, finishReason: "STOP", index: 0 },
          { content: { parts: [{ text: "B" }] }, finishReason: "MAX_TOKENS", index: 1 },
        ],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, thoughtsTokenCount: 10, totalTokenCount: 17 },
      },
      ctx,
    );
    expect(completion.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, "A", "stop"],
      [1, "B", "length"],
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 12, total_tokens: 17, completion_tokens_details: { reasoning_tokens: 10 } });
  });

  test("a SAFETY stop is content_filter", () => {
    const completion = toChatCompletion(
      { candidates: [{ finishReason: "SAFETY", index: 0, safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true }] }] },
      ctx,
    );
    expect(completion.choices[0]).toMatchObject({ message: { role: "assistant", content: null }, finish_reason: "content_filter" });
  });

  test("a blocked prompt (promptFeedback, no candidates) is one content_filter choice with null content", () => {
    const completion = toChatCompletion(
      { promptFeedback: { blockReason: "SAFETY", safetyRatings: [] }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 } },
      ctx,
    );
    expect(completion.choices).toEqual([{ index: 0, message: { role: "assistant", content: null }, finish_reason: "content_filter", logprobs: null }]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 0, total_tokens: 8 });
  });

  test("no candidates and no block reason is an untranslatable answer", () => {
    expect(() => toChatCompletion({ usageMetadata: {} }, ctx)).toThrow(/no candidates/);
    expect(() => toChatCompletion({ error: { code: 500, message: "boom" } }, ctx)).toThrow(/boom/);
  });
});

describe("finish reasons and usage", () => {
  test("every Gemini finish reason maps", () => {
    expect(finishReasonOf("STOP", false)).toBe("stop");
    expect(finishReasonOf("STOP", true)).toBe("tool_calls");
    expect(finishReasonOf("MAX_TOKENS", true)).toBe("length");
    for (const reason of ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]) {
      expect(finishReasonOf(reason, false)).toBe("content_filter");
    }
    expect(finishReasonOf("OTHER", false)).toBe("stop");
  });

  test("usage without metadata is unknown; tool-use prompt tokens count as prompt", () => {
    expect(usageOf(undefined)).toBeUndefined();
    expect(usageOf({ promptTokenCount: 3, toolUsePromptTokenCount: 2, candidatesTokenCount: 1 })).toEqual({
      prompt_tokens: 5,
      completion_tokens: 1,
      total_tokens: 6,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });
});
