// The Anthropic Messages dialect against the dialect contract, with readers written as an Anthropic client reads the
// wire (the message object, the SSE event sequence, the error shape); then decoding and encoding case by case.
import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { GatewayError } from "../../src/core/errors.ts";
import { anthropicCountTokens, anthropicMessages } from "../../src/dialects/anthropic-messages/dialect.ts";
import type { ChatCompletionChunk } from "../../src/plugins/sdk.ts";
import { dialectContract, type ReadError, type ReadStream } from "./dialect.contract.ts";

const STOP_TO_FINISH: Record<string, string> = { end_turn: "stop", stop_sequence: "stop", max_tokens: "length", tool_use: "tool_calls", refusal: "content_filter" };
const ERROR_FIELDS = ["type", "message", "code", "param"];

/** Anthropic's error object: {type, message} strings; keyway's code (and param) alongside, plus further fields. */
function readErrorObject(error: unknown): ReadError {
  if (typeof error !== "object" || error === null) throw new Error(`not an Anthropic error object: ${JSON.stringify(error)}`);
  const e = error as Record<string, unknown>;
  if (typeof e.type !== "string" || typeof e.message !== "string" || typeof e.code !== "string") {
    throw new Error(`not an Anthropic error object: ${JSON.stringify(error)}`);
  }
  const fields = Object.fromEntries(Object.entries(e).filter(([key]) => !ERROR_FIELDS.includes(key)));
  return { message: e.message, code: e.code, param: typeof e.param === "string" ? e.param : null, fields };
}

function readErrorBody(body: unknown): ReadError {
  const b = body as { type?: unknown; error?: unknown };
  if (b.type !== "error") throw new Error(`not an Anthropic error body: ${JSON.stringify(body)}`);
  return readErrorObject(b.error);
}

/** SSE events as [event name, parsed data]; the name must be the data's `type`, as Anthropic sends it. */
function events(bytes: string): [string, Record<string, unknown>][] {
  return bytes
    .split("\n\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(frame);
      if (!match) throw new Error(`not an Anthropic SSE event: ${frame}`);
      const data = JSON.parse(match[2] as string) as Record<string, unknown>;
      if (data.type !== match[1]) throw new Error(`event ${match[1]} carries data of type ${String(data.type)}`);
      return [match[1] as string, data];
    });
}

function readStream(bytes: string): ReadStream {
  const out: ReadStream = { texts: [], finishReasons: [], ended: false };
  for (const [name, data] of events(bytes)) {
    if (name === "content_block_delta") {
      const delta = data.delta as { type: string; text?: string };
      if (delta.type === "text_delta" && delta.text) out.texts.push(delta.text);
    } else if (name === "message_delta") {
      const reason = (data.delta as { stop_reason: string }).stop_reason;
      out.finishReasons.push(STOP_TO_FINISH[reason] ?? reason);
    } else if (name === "message_stop") out.ended = true;
    else if (name === "error") out.error = readErrorBody(data);
  }
  return out;
}

dialectContract({
  dialect: anthropicMessages,
  requests: [
    {
      wire: {
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        system: "Be brief.",
        messages: [{ role: "user", content: "Hi" }],
        stream: true,
        stop_sequences: ["END"],
        temperature: 0.5,
        top_k: 5,
        metadata: { user_id: "u-1" },
        service_tier: "auto",
      },
      internal: {
        model: "claude-sonnet-4-5",
        messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
        max_tokens: 100,
        stream: true,
        stop: ["END"],
        temperature: 0.5,
        top_k: 5,
        user: "u-1",
      },
    },
    // Tool use and results, thinking (left behind), images and documents, tool choice and extended thinking.
    {
      wire: {
        model: "claude-sonnet-4-5",
        max_tokens: 50,
        system: [{ type: "text", text: "One." }, { type: "text", text: "Two.", cache_control: { type: "ephemeral" } }],
        tools: [{ name: "weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
        tool_choice: { type: "any", disable_parallel_tool_use: true },
        thinking: { type: "enabled", budget_tokens: 8000 },
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Look", cache_control: { type: "ephemeral" } },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR" } },
              { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
              { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBER" }, title: "a.pdf" },
              { type: "document", source: { type: "text", media_type: "text/plain", data: "plain words" } },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "hmm", signature: "sig" },
              { type: "text", text: "Checking." },
              { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "sunny" }] },
              { type: "text", text: "Thanks" },
            ],
          },
        ],
      },
      internal: {
        model: "claude-sonnet-4-5",
        messages: [
          { role: "system", content: "One.\nTwo." },
          {
            role: "user",
            content: [
              { type: "text", text: "Look" },
              { type: "image_url", image_url: { url: "data:image/png;base64,iVBOR" } },
              { type: "image_url", image_url: { url: "https://example.com/a.png" } },
              { type: "file", file: { file_data: "data:application/pdf;base64,JVBER", filename: "a.pdf" } },
              { type: "text", text: "plain words" },
            ],
          },
          {
            role: "assistant",
            content: "Checking.",
            tool_calls: [{ id: "toolu_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
          },
          { role: "tool", tool_call_id: "toolu_1", content: "sunny" },
          { role: "user", content: [{ type: "text", text: "Thanks" }] },
        ],
        tools: [{ type: "function", function: { name: "weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
        tool_choice: "required",
        parallel_tool_calls: false,
        reasoning_effort: "medium",
        max_tokens: 50,
      },
    },
  ],
  refused: [
    { wire: { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] }, param: "max_tokens" },
    { wire: { model: "claude-sonnet-4-5", max_tokens: 10, messages: [] }, param: "messages" },
    { wire: { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "system", content: "Hi" }] }, param: "messages[0].role" },
    { wire: { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "Hi" }], temperature: 1.5 }, param: "temperature" },
    { wire: { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text" }] }] }, param: "messages[0].content[0].text" },
    {
      wire: { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "Hi" }], tools: [{ name: "t" }] },
      param: "tools[0].input_schema",
    },
    { wire: [1, 2], param: null },
  ],
  withKeywayFields: (fields) => ({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "Hi" }], ...fields }),
  readAnswer: (body) => {
    const message = body as {
      type: string;
      content: { type: string; text?: string }[];
      usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number; cost: number };
      byok_api_key: boolean;
    };
    if (message.type !== "message") throw new Error(`not an Anthropic message: ${JSON.stringify(body)}`);
    const { usage } = message;
    return {
      text: message.content.map((b) => (b.type === "text" ? b.text : "")).join(""),
      promptTokens: usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens,
      completionTokens: usage.output_tokens,
      costUsd: usage.cost,
      byok: message.byok_api_key,
    };
  },
  readStream,
  readError: readErrorBody,
  ownStreamFormats: [],
});

const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk => ({
  id: "chatcmpl-9",
  object: "chat.completion.chunk",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

function encodeAll(chunks: ChatCompletionChunk[]): string {
  const encoder = anthropicMessages.streamEncoder({ request: { model: "gpt-4o", messages: [] }, includeUsage: false });
  const decoder = new TextDecoder();
  return chunks.map((c) => decoder.decode(encoder.chunk(c) ?? new Uint8Array())).join("") + decoder.decode(encoder.end());
}

const toolStream: ChatCompletionChunk[] = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Let me " }),
  chunk({ content: "check." }),
  chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "weather", arguments: "" } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  chunk({}, "tool_calls"),
  {
    ...chunk({}),
    choices: [],
    usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, prompt_tokens_details: { cached_tokens: 10, cache_write_tokens: 5 } },
  },
];

describe("Anthropic dialect: decoding", () => {
  test("the client's body and its anthropic-version and anthropic-beta headers are kept for Anthropic", () => {
    const wire = { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "Hi", cache_control: { type: "ephemeral" } }] }], thinking: { type: "enabled", budget_tokens: 1024 } };
    const headers = new Headers({ "anthropic-version": "2023-06-01", "anthropic-beta": "prompt-caching-2024-07-31", "x-other": "no" });
    const decoded = anthropicMessages.decode(structuredClone(wire), headers);
    expect(decoded.native).toEqual({ format: "anthropic-messages", body: wire, headers: { "anthropic-version": "2023-06-01", "anthropic-beta": "prompt-caching-2024-07-31" } });
    expect(decoded.body.reasoning_effort).toBe("low");
  });

  test("what only Anthropic can honour is named native-only: server tools, documents by URL, containers", () => {
    const wire = {
      model: "claude-sonnet-4-5",
      max_tokens: 10,
      container: "c-1",
      tools: [{ name: "weather", input_schema: { type: "object" } }, { type: "web_search_20250305", name: "web_search" }],
      messages: [{ role: "user", content: [{ type: "document", source: { type: "url", url: "https://example.com/a.pdf" } }, { type: "search_result", source: "x" }] }],
    };
    const decoded = anthropicMessages.decode(wire, new Headers());
    expect(decoded.native?.nativeOnly).toEqual(["messages[0].content[0].source", "messages[0].content[1]", "tools[1]", "container"]);
    expect((decoded.body.tools as unknown[]).length).toBe(1);
  });

  test("tool choices: auto, none and a named tool; an error result says so; images in results follow as user content", () => {
    const base = { model: "m", max_tokens: 5, tools: [{ name: "t", input_schema: { type: "object" } }] };
    const choice = (tool_choice: unknown) => anthropicMessages.decode({ ...base, tool_choice, messages: [{ role: "user", content: "x" }] }, new Headers()).body.tool_choice;
    expect([choice({ type: "auto" }), choice({ type: "none" }), choice({ type: "tool", name: "t" })]).toEqual(["auto", "none", { type: "function", function: { name: "t" } }]);
    const result = {
      type: "tool_result",
      tool_use_id: "toolu_2",
      is_error: true,
      content: [{ type: "text", text: "boom" }, { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "AAA" } }],
    };
    const { body } = anthropicMessages.decode({ ...base, messages: [{ role: "user", content: [result] }] }, new Headers());
    expect(body.messages).toEqual([
      { role: "tool", tool_call_id: "toolu_2", content: "Error: boom" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/jpeg;base64,AAA" } }] },
    ]);
  });

  test("a token count takes the prompt without max_tokens, checked like a Messages request", () => {
    const wire = { model: "claude-sonnet-4-5", system: "S", messages: [{ role: "user", content: "Hi" }] };
    const { body, native, unmetered } = anthropicCountTokens.decode(structuredClone(wire), new Headers({ "anthropic-version": "2023-06-01" }));
    expect(body.messages).toEqual([{ role: "system", content: "S" }, { role: "user", content: "Hi" }]);
    // Free, counted natively by Anthropic, estimated for every other provider (never translated into a generation).
    expect(unmetered).toBe(true);
    expect(native).toEqual({ format: "anthropic-count-tokens", body: wire, headers: { "anthropic-version": "2023-06-01" }, estimateElsewhere: true });
    expect(anthropicCountTokens.encodeAnswer({ usage: { prompt_tokens: 42, completion_tokens: 0, total_tokens: 42 } }, { chargedMicros: 0, byok: false })).toEqual({ input_tokens: 42 });
    expect(() => anthropicCountTokens.decode({ model: "claude-sonnet-4-5", messages: "Hi" }, new Headers())).toThrow(GatewayError);
  });
});

describe("Anthropic dialect: encoding", () => {
  test("an answer with a tool call becomes a message with text and tool_use blocks, stop_reason and cache counters", () => {
    const answer = anthropicMessages.encodeAnswer(
      {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "Checking.", tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] },
            finish_reason: "tool_calls",
          },
        ],
        usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, prompt_tokens_details: { cached_tokens: 10, cache_write_tokens: 5 } },
      },
      { chargedMicros: 2_500, byok: true },
    );
    expect(answer).toEqual({
      id: "chatcmpl-1",
      type: "message",
      role: "assistant",
      model: "gpt-4o",
      content: [
        { type: "text", text: "Checking." },
        { type: "tool_use", id: "call_1", name: "weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 15, output_tokens: 12, cache_creation_input_tokens: 5, cache_read_input_tokens: 10, cost: 0.0025 },
      byok_api_key: true,
    });
  });

  test("a stream is Anthropic's event sequence: blocks opened and closed in order, usage in message_delta", () => {
    const names = events(encodeAll(toolStream)).map(([name, data]) => (name === "content_block_delta" ? `${name}:${(data.delta as { type: string }).type}` : name));
    expect(names).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta:text_delta",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:input_json_delta",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const delta = events(encodeAll(toolStream)).find(([name]) => name === "message_delta")?.[1];
    expect(delta).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 15, output_tokens: 12, cache_creation_input_tokens: 5, cache_read_input_tokens: 10 },
    });
  });

  test("the official SDK's stream reader assembles the encoded events into the final message", async () => {
    const bytes = encodeAll(toolStream);
    const fetch = async () => new Response(bytes, { headers: { "content-type": "text/event-stream" } });
    const client = new Anthropic({ apiKey: "kw_unused", baseURL: "http://keyway.invalid", fetch, maxRetries: 0 });
    const stream = client.messages.stream({ model: "gpt-4o", max_tokens: 10, messages: [{ role: "user", content: "Weather?" }] });
    const texts: string[] = [];
    stream.on("text", (delta) => texts.push(delta));
    const message = await stream.finalMessage();
    expect(texts.join("")).toBe("Let me check.");
    expect(message.content.map((b) => (b.type === "text" ? { text: b.text } : b.type === "tool_use" ? { id: b.id, name: b.name, input: b.input } : b))).toEqual([
      { text: "Let me check." },
      { id: "call_1", name: "weather", input: { city: "Paris" } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect([message.usage.input_tokens, message.usage.output_tokens, message.usage.cache_read_input_tokens]).toEqual([15, 12, 10]);
  });

  test("an empty stream still opens and closes a message", () => {
    expect(events(encodeAll([])).map(([name]) => name)).toEqual(["message_start", "message_delta", "message_stop"]);
  });

  test("errors carry Anthropic's type for their status and keep keyway's code", () => {
    const codes = ["invalid_request", "invalid_api_key", "budget_exceeded", "permission_denied", "model_not_found", "request_too_large", "rate_limited", "internal_error", "upstream_error", "upstream_timeout"] as const;
    const types = codes.map((code) => {
      const body = anthropicMessages.encodeError(new GatewayError(code, "m")).body as { type: string; error: { type: string; code: string } };
      expect([body.type, body.error.code]).toEqual(["error", code]);
      return body.error.type;
    });
    expect(types).toEqual([
      "invalid_request_error",
      "authentication_error",
      "billing_error",
      "permission_error",
      "not_found_error",
      "request_too_large",
      "rate_limit_error",
      "api_error",
      "api_error",
      "timeout_error",
    ]);
  });
});
