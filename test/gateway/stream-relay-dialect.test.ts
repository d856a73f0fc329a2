// The relay encodes through the call's dialect: an OpenAI-format upstream passes through as the very same bytes to
// an OpenAI client, and is parsed and encoded for a client whose dialect has another wire format.
import { beforeAll, describe, expect, test } from "bun:test";
import type { ClientDialect } from "../../src/core/dialect.ts";
import { openAIChat } from "../../src/dialects/openai-chat/dialect.ts";
import { relayStream, type StreamOutcome } from "../../src/gateway/stream-relay.ts";
import { registerAdapterKeyPatterns } from "../../src/plugin-host/load-configured.ts";
import type { ProviderContext } from "../../src/plugins/sdk.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";

const KEY = "sk-secret-dialect-key-1";
const ctx: ProviderContext = { provider: "openai", model: "gpt-4o", baseUrl: "http://x", apiKey: KEY, stream: true, options: {} };
const enc = new TextEncoder();
const chunk = (content: string, finish: string | null = null) =>
  `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":${finish ? `"${finish}"` : "null"}}]}\n\n`;
const usage = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}\n\n';
const done = "data: [DONE]\n\n";

/** A client format unlike OpenAI's: one JSON line per delta, an end line, a failure line. */
const lines: ClientDialect = {
  ...openAIChat,
  name: "test-lines",
  streamEncoder: ({ includeUsage }) => ({
    chunk: (c) => (c.choices.length === 0 && !includeUsage ? undefined : enc.encode(`${JSON.stringify({ text: c.choices[0]?.delta.content ?? "" })}\n`)),
    end: () => enc.encode('{"end":true}\n'),
    error: (error) => enc.encode(`${JSON.stringify({ failed: { code: error.code, message: error.message } })}\n`),
  }),
  passesThrough: () => false,
};

function upstream(parts: Uint8Array[]) {
  return new Response(new ReadableStream({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } })).body as ReadableStream<Uint8Array>;
}

function relay(parts: Uint8Array[], dialect: ClientDialect) {
  const result: { outcome?: StreamOutcome } = {};
  const stream = relayStream({ reader: upstream(parts).getReader() }, "openai-sse", {
    ctx,
    dialect,
    request: { model: "gpt-4o", messages: [] },
    includeUsage: false,
    abort: new AbortController(),
    onDone: (o) => { result.outcome = o; },
  });
  return { stream, result };
}

beforeAll(() => registerAdapterKeyPatterns([...builtInAdapters.values()]));

describe("the relay encodes through the call's dialect", () => {
  test("OpenAI client, OpenAI-format upstream: each content chunk is the upstream's own Uint8Array, not a copy", async () => {
    const parts = [chunk("Hel"), chunk("lo", "stop")].map((p) => enc.encode(p));
    const { stream } = relay([...parts, enc.encode(done)], openAIChat);
    const reader = stream.getReader();
    const first = await reader.read();
    const second = await reader.read();
    expect(first.value).toBe(parts[0] as Uint8Array);
    expect(second.value).toBe(parts[1] as Uint8Array);
    await reader.cancel();
  });

  test("another dialect gets the chunks in its own format and its own end; usage is still read and held back", async () => {
    const { stream, result } = relay([chunk("Hel"), chunk("lo", "stop"), usage, done].map((p) => enc.encode(p)), lines);
    const text = await new Response(stream).text();
    expect(text).toBe('{"text":"Hel"}\n{"text":"lo"}\n{"end":true}\n');
    expect(result.outcome?.usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    expect(result.outcome?.finishReasons).toEqual(["stop"]);
  });

  test("an upstream error event quoting the key ends the other dialect's stream with its failure line, key redacted", async () => {
    const errorEvent = `data: {"error":{"message":"Incorrect API key provided: ${KEY}","type":"invalid_request_error","code":"invalid_api_key"}}\n\n`;
    const { stream, result } = relay([chunk("Hel"), errorEvent].map((p) => enc.encode(p)), lines);
    const text = await new Response(stream).text();
    expect(text.startsWith('{"text":"Hel"}\n{"failed":{"code":"upstream_error","message":"openai stream failed: Incorrect API key provided: ')).toBe(true);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('"end"');
    expect(result.outcome?.error).toContain("Incorrect API key provided");
    expect(result.outcome?.error).not.toContain(KEY);
  });

  test("text that arrives in the same read as an upstream error event still reaches the client before the failure", async () => {
    const errorEvent = `data: {"error":{"message":"overloaded","type":"server_error"}}\n\n`;
    const { stream, result } = relay([enc.encode(chunk("Hel") + chunk("lo") + errorEvent)], lines);
    const text = await new Response(stream).text();
    expect(text.startsWith('{"text":"Hel"}\n{"text":"lo"}\n{"failed":{"code":"upstream_error"')).toBe(true);
    expect(result.outcome?.chunks).toBe(2);
    expect(result.outcome?.error).toContain("overloaded");
  });
});
