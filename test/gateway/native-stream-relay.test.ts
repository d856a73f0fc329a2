// A native stream (an Anthropic Messages client, Anthropic upstream): the upstream's bytes reach the client untouched,
// usage is read on the way, the piece holding message_stop is sent only once the call is settled, and a piece
// quoting the attempt's key is redacted.
import { beforeAll, describe, expect, test } from "bun:test";
import { anthropicMessages } from "../../src/dialects/anthropic-messages/dialect.ts";
import { relayStream, type StreamOutcome } from "../../src/gateway/stream-relay.ts";
import { registerAdapterKeyPatterns } from "../../src/plugin-host/load-configured.ts";
import type { ProviderContext } from "../../src/plugins/sdk.ts";
import { anthropicMessagesNative } from "../../src/providers/anthropic/native.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";

const KEY = "sk-ant-secret-native-key-0001";
const ctx: ProviderContext = { provider: "anthropic", model: "claude-sonnet-4-5", baseUrl: "http://x", apiKey: KEY, stream: true, options: {} };
const enc = new TextEncoder();
const event = (data: Record<string, unknown>) => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

const start = event({
  type: "message_start",
  message: { id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], stop_reason: null, usage: { input_tokens: 20, cache_read_input_tokens: 4, output_tokens: 1 } },
});
const blockStart = event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
const delta = (text: string) => event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
const blockStop = event({ type: "content_block_stop", index: 0 });
const messageDelta = event({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 7 } });
const stop = event({ type: "message_stop" });

function upstream(parts: string[]) {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(enc.encode(p));
      c.close();
    },
  });
  return body.getReader();
}

function relay(parts: string[], onDone: (outcome: StreamOutcome) => Promise<void> | void) {
  return relayStream({ reader: upstream(parts) }, { native: anthropicMessagesNative }, {
    ctx,
    dialect: anthropicMessages,
    request: { model: "claude-sonnet-4-5", messages: [] },
    includeUsage: false,
    abort: new AbortController(),
    onDone,
  });
}

beforeAll(() => registerAdapterKeyPatterns([...builtInAdapters.values()]));

describe("the native stream relay", () => {
  test("the client gets the upstream's bytes untouched; usage, model and stop reason are read", async () => {
    const parts = [start + blockStart, delta("Hel"), delta("lo") + blockStop, messageDelta, stop];
    let outcome: StreamOutcome | undefined;
    const text = await new Response(relay(parts, (o) => { outcome = o; })).text();
    expect(text).toBe(parts.join(""));
    expect(outcome?.usage).toMatchObject({ prompt_tokens: 24, completion_tokens: 7, total_tokens: 31, prompt_tokens_details: { cached_tokens: 4 } });
    expect(outcome?.model).toBe("claude-sonnet-4-5");
    expect(outcome?.finishReasons).toEqual(["stop"]);
    expect(outcome?.error).toBeUndefined();
  });

  test("the piece holding message_stop is sent only after the call is settled", async () => {
    let settled = false;
    const stream = relay([start, delta("Hi"), messageDelta, stop], async () => {
      await Bun.sleep(30);
      settled = true;
    });
    const reader = stream.getReader();
    const seen: { text: string; settled: boolean }[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen.push({ text: new TextDecoder().decode(value), settled });
    }
    const last = seen.find((piece) => piece.text.includes("message_stop"));
    expect(last?.settled).toBe(true);
    expect(seen.filter((piece) => !piece.text.includes("message_stop")).every((piece) => !piece.settled)).toBe(true);
  });

  test("an upstream error event ends the stream with Anthropic's error event, the key redacted", async () => {
    const error = event({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${KEY}` } });
    let outcome: StreamOutcome | undefined;
    const text = await new Response(relay([start, delta("Hi"), error], (o) => { outcome = o; })).text();
    expect(text).not.toContain(KEY);
    expect(text.startsWith(start + delta("Hi"))).toBe(true);
    const last = text.trimEnd().split("\n\n").at(-1) ?? "";
    expect(last.startsWith("event: error\ndata: ")).toBe(true);
    const body = JSON.parse(last.slice(last.indexOf("data: ") + 6)) as { type: string; error: { type: string; code: string; message: string } };
    expect(body).toMatchObject({ type: "error", error: { type: "api_error", code: "upstream_error" } });
    expect(body.error.message).toContain("invalid x-api-key");
    expect(outcome?.error).toBeDefined();
  });

  test("a piece of the stream quoting the key is passed on with the key redacted", async () => {
    const text = await new Response(relay([start, delta(`key ${KEY}`), messageDelta, stop], () => {})).text();
    expect(text).not.toContain(KEY);
    expect(text).toContain("message_stop");
  });

  test("an upstream that ends before message_stop fails the stream instead of ending it cleanly", async () => {
    let outcome: StreamOutcome | undefined;
    const text = await new Response(relay([start, delta("Hi")], (o) => { outcome = o; })).text();
    expect(text).toContain("event: error");
    expect(text).not.toContain("event: message_stop");
    expect(outcome?.error).toContain("closed the stream");
  });
});
