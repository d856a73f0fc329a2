// Anthropic's native Messages endpoint: the client's body and headers go upstream with the adapter's key; the
// answer is only read (usage, model, stop reason); message_stop is the stream's last event. The token count goes the
// same way to /v1/messages/count_tokens, and nothing is read from its answer as usage.
import { describe, expect, test } from "bun:test";
import type { ProviderContext } from "../../../src/plugins/sdk.ts";
import { anthropicCountTokensNative, anthropicMessagesNative } from "../../../src/providers/anthropic/native.ts";

const ctx = (options: Record<string, unknown> = {}): ProviderContext => ({
  provider: "anthropic", model: "claude-sonnet-4-6", baseUrl: "https://api.example", apiKey: "sk-ant-key", stream: false, options,
});

describe("Anthropic native Messages endpoint", () => {
  test("the client's body as JSON to /v1/messages; its version replaces the configured one, betas are merged once", () => {
    const body = { model: "claude-sonnet-4-6", max_tokens: 5, messages: [{ role: "user", content: "Hi" }] };
    const request = anthropicMessagesNative.toUpstream(body, ctx({ anthropic_beta: ["a-1", "b-2"] }), { "anthropic-version": "2024-01-01", "anthropic-beta": "b-2, c-3" });
    expect(request.url).toBe("https://api.example/v1/messages");
    expect(JSON.parse(request.body as string)).toEqual(body);
    expect(request.headers).toMatchObject({ "x-api-key": "sk-ant-key", "anthropic-version": "2024-01-01", "anthropic-beta": "a-1,b-2,c-3", "content-type": "application/json" });
  });

  test("without client headers the adapter's version is sent and no beta", () => {
    const request = anthropicMessagesNative.toUpstream({}, ctx(), {});
    expect(request.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request.headers).not.toHaveProperty("anthropic-beta");
  });

  test("an answer is read for usage (cache counted), model and finish reason", () => {
    const reading = anthropicMessagesNative.read({
      id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-6", content: [{ type: "text", text: "Hi" }], stop_reason: "max_tokens",
      usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 4, cache_creation_input_tokens: 2 },
    });
    expect(reading).toMatchObject({ model: "claude-sonnet-4-6", finishReasons: ["length"], usage: { prompt_tokens: 16, completion_tokens: 3 } });
  });

  test("message_stop, named or typed, is the last event", () => {
    expect(anthropicMessagesNative.isLast({ event: "message_stop", data: '{"type":"message_stop"}' })).toBe(true);
    expect(anthropicMessagesNative.isLast({ data: '{"type": "message_stop"}' })).toBe(true);
    expect(anthropicMessagesNative.isLast({ event: "message_delta", data: '{"type":"message_delta"}' })).toBe(false);
  });
});

describe("Anthropic native token count endpoint", () => {
  test("the client's body as JSON to /v1/messages/count_tokens with its version and betas; the count is not usage", () => {
    const body = { model: "claude-sonnet-4-6", system: "S", messages: [{ role: "user", content: "Hi" }] };
    const request = anthropicCountTokensNative.toUpstream(body, ctx(), { "anthropic-version": "2023-06-01", "anthropic-beta": "token-counting-2024-11-01" });
    expect(request).toMatchObject({ url: "https://api.example/v1/messages/count_tokens", method: "POST" });
    expect(JSON.parse(request.body as string)).toEqual(body);
    expect(request.headers).toMatchObject({ "x-api-key": "sk-ant-key", "anthropic-version": "2023-06-01", "anthropic-beta": "token-counting-2024-11-01" });
    expect(anthropicCountTokensNative.read({ input_tokens: 2095 })).toEqual({});
  });
});
