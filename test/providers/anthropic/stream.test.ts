import { describe, expect, test } from "bun:test";
import { sseParser } from "../../../src/gateway/sse.ts";
import type { ChatCompletionChunk, ProviderContext, StreamEvent } from "../../../src/plugins/sdk.ts";
import { anthropicStream } from "../../../src/providers/anthropic/stream.ts";

const ctx: ProviderContext = {
  provider: "anthropic",
  model: "claude-3-5-sonnet-20241022",
  baseUrl: "https://api.anthropic.com",
  apiKey: "sk-ant-unit",
  stream: true,
  options: {},
};

/** A recorded Messages stream: some text, then two parallel tool calls, in Anthropic's SSE framing. */
const TEXT_AND_TWO_TOOLS = `event: message_start
data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-3-5-sonnet-20241022","stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":2},"content":[],"stop_reason":null}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking both "}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"cities."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Pa"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01QQiBMYVQoLNCiE4ouP2vBy","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":"}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":" \\"Rome\\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":2}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}

`;

function eventsOf(sse: string): StreamEvent[] {
  const parser = sseParser();
  return [...parser.push(sse), ...parser.end()];
}

function run(sse: string): ChatCompletionChunk[] {
  const state = anthropicStream.start(ctx, { model: ctx.model, messages: [] });
  const chunks = eventsOf(sse).flatMap((event) => anthropicStream.translate(event, state));
  return [...chunks, ...anthropicStream.finish(state)];
}

describe("Anthropic stream -> OpenAI chunks", () => {
  const chunks = run(TEXT_AND_TWO_TOOLS);
  const withChoices = chunks.filter((c) => c.choices.length > 0);

  test("every chunk is a chat.completion.chunk with the message id and model", () => {
    for (const chunk of chunks) {
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.id).toBe("msg_014p7gG3wDgGV9EUtLvnow3U");
      expect(chunk.model).toBe("claude-3-5-sonnet-20241022");
    }
  });

  test("the first chunk carries role assistant, and only the first", () => {
    expect(withChoices[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(withChoices.slice(1).every((c) => c.choices[0]?.delta.role === undefined)).toBe(true);
  });

  test("text deltas become content", () => {
    const text = withChoices.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Checking both cities.");
  });

  test("two parallel tool calls keep indexes 0 and 1 (not the block indexes) and their arguments reassemble", () => {
    const calls = new Map<number, { id?: string; name?: string; type?: string; args: string }>();
    for (const chunk of withChoices) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls.get(delta.index) ?? { args: "" };
        entry.id ??= delta.id;
        entry.name ??= delta.function?.name;
        entry.type ??= delta.type;
        entry.args += delta.function?.arguments ?? "";
        calls.set(delta.index, entry);
      }
    }
    expect([...calls.keys()]).toEqual([0, 1]);
    expect(calls.get(0)).toEqual({ id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", type: "function", args: '{"city": "Paris"}' });
    expect(calls.get(1)).toEqual({ id: "toolu_01QQiBMYVQoLNCiE4ouP2vBy", name: "get_weather", type: "function", args: '{"city": "Rome"}' });
    expect(JSON.parse(calls.get(0)?.args ?? "")).toEqual({ city: "Paris" });
  });

  test("the tool call's first delta has its id, name and empty arguments", () => {
    const first = withChoices.find((c) => c.choices[0]?.delta.tool_calls)?.choices[0]?.delta.tool_calls?.[0];
    expect(first).toEqual({ index: 0, id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", type: "function", function: { name: "get_weather", arguments: "" } });
  });

  test("the last content chunk carries finish_reason tool_calls; nothing before it has one", () => {
    expect(withChoices.at(-1)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: "tool_calls" });
    expect(withChoices.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
  });

  test("then one usage chunk with no choices: input + cache counted, output from message_delta", () => {
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 572, completion_tokens: 89, total_tokens: 661, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 0 } });
    expect(chunks.filter((c) => c.usage).length).toBe(1);
  });

  test("a plain text answer ends with finish_reason stop", () => {
    const plain = run(`event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-3-haiku-20240307","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":1}}

event: message_stop
data: {"type":"message_stop"}

`);
    expect(plain.map((c) => c.choices[0]?.finish_reason ?? null).filter(Boolean)).toEqual(["length"]);
    expect(plain.at(-1)?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 1 });
  });

  test("an error event throws the provider's message so the relay ends the stream with an error event", () => {
    const state = anthropicStream.start(ctx, { model: ctx.model, messages: [] });
    const events = eventsOf(`event: message_start
data: {"type":"message_start","message":{"id":"msg_2","model":"claude-3-5-sonnet-20241022","usage":{"input_tokens":5,"output_tokens":1}}}

event: error
data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

`);
    expect(anthropicStream.translate(events[0] as StreamEvent, state)).toHaveLength(1);
    expect(() => anthropicStream.translate(events[1] as StreamEvent, state)).toThrow("Overloaded (overloaded_error)");
  });

  test("ping and thinking deltas produce nothing", () => {
    const state = anthropicStream.start(ctx, { model: ctx.model, messages: [] });
    expect(anthropicStream.translate({ event: "ping", data: '{"type": "ping"}' }, state)).toEqual([]);
    const thinking = { event: "content_block_delta", data: '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}' };
    expect(anthropicStream.translate(thinking, state)).toEqual([]);
  });

  test("a stream that ends before message_stop is an error, not a silent success", () => {
    const state = anthropicStream.start(ctx, { model: ctx.model, messages: [] });
    anthropicStream.translate({ event: "message_start", data: '{"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1}}}' }, state);
    expect(() => anthropicStream.finish(state)).toThrow("before message_stop");
  });
});
