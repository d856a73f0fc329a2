import { beforeAll, describe, expect, test } from "bun:test";
import { registerAdapterKeyPatterns } from "../../src/plugin-host/load-configured.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import { type StreamOutcome, relayStream } from "../../src/gateway/stream-relay.ts";
import { GatewayError } from "../../src/core/errors.ts";
import { openAIChat } from "../../src/dialects/openai-chat/dialect.ts";
import type { ProviderContext } from "../../src/plugins/sdk.ts";

const ctx: ProviderContext = { provider: "openai", model: "gpt-4o", baseUrl: "http://x", apiKey: "sk-secret-relay-key-1", stream: true, options: {} };
const enc = new TextEncoder();
const chunk = (content: string) => `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}],"usage":null}\n\n`;
const finish = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n';
const usage = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}\n\n';
const done = "data: [DONE]\n\n";

function upstream(parts: string[]): Response {
  return new Response(new ReadableStream({ start(c) { for (const p of parts) c.enqueue(enc.encode(p)); c.close(); } }));
}

async function relay(parts: string[], includeUsage: boolean) {
  let outcome: StreamOutcome | undefined;
  const stream = relayStream({ reader: (upstream(parts).body as ReadableStream<Uint8Array>).getReader() }, "openai-sse", {
    ctx,
    dialect: openAIChat,
    request: { model: "gpt-4o", messages: [] },
    includeUsage,
    abort: new AbortController(),
    onDone: (o) => { outcome = o; },
  });
  const text = await new Response(stream).text();
  return { text, outcome: outcome as StreamOutcome };
}

describe("OpenAI stream pass-through", () => {
  test("bytes pass through unchanged when the client asked for usage; usage and finish reasons are read", async () => {
    const parts = [chunk("Hel"), chunk("lo"), finish, usage, done];
    const { text, outcome } = await relay(parts, true);
    expect(text).toBe(parts.join(""));
    expect(outcome.usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    expect(outcome.model).toBe("gpt-4o-2024");
    expect(outcome.finishReasons).toEqual(["stop"]);
    expect(outcome.chunks).toBe(3);
    expect(outcome.error).toBeUndefined();
  });

  test("the usage-only chunk is held back when the client did not ask, but still recorded", async () => {
    const { text, outcome } = await relay([chunk("Hi"), finish, usage, done], false);
    expect(text).toBe(chunk("Hi") + finish + done);
    expect(outcome.usage?.total_tokens).toBe(7);
  });

  test("events split across network chunks are reassembled before scanning", async () => {
    const whole = chunk("a") + finish + usage + done;
    const parts = [whole.slice(0, 17), whole.slice(17, 200), whole.slice(200, 333), whole.slice(333)];
    const { text, outcome } = await relay(parts, false);
    expect(text).toBe(chunk("a") + finish + done);
    expect(outcome.usage?.completion_tokens).toBe(2);
  });

  test("a whole stream in one read: only the usage-only chunk is left out; chunks saying usage null and a content chunk with usage pass as they came", async () => {
    const withUsage = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"!"},"finish_reason":null}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}\n\n';
    const before = chunk("Hel") + chunk("lo") + withUsage + finish;
    const { text, outcome } = await relay([before + usage + chunk("late") + done], false);
    expect(text).toBe(before + chunk("late") + done);
    expect(outcome.usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    expect(outcome.chunks).toBe(5);
    const asked = await relay([before + usage + done], true);
    expect(asked.text).toBe(before + usage + done);
  });

  test("an error event and a usage event in the same read: the error redacted, the usage chunk left out, the rest untouched", async () => {
    const keyError = 'data: {"error":{"message":"Incorrect API key provided: sk-secret-relay-key-1.","type":"invalid_request_error"}}\n\n';
    const { text, outcome } = await relay([chunk("a") + usage + chunk("b") + keyError + done], false);
    expect(text).not.toContain("sk-secret-relay-key-1");
    const events = text.trim().split("\n\n");
    expect(events.slice(0, 2).map((e) => `${e}\n\n`)).toEqual([chunk("a"), chunk("b")]);
    expect(JSON.parse(events[2]?.slice(6) ?? "{}").error.message).toBe("Incorrect API key provided: [redacted].");
    expect(outcome.usage?.total_tokens).toBe(7);
    expect(outcome.error).toBe("Incorrect API key provided: [redacted].");
  });

  test("every choice's finish reason is read in order, whatever the spacing and wherever a read ends; null ones are not reasons", async () => {
    const two = (index: number, reason: string) => `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":${index},"delta":{},"finish_reason":${reason}}]}\n\n`;
    const whole = chunk("a") + two(0, '"stop"') + two(1, ' "length"') + two(2, '"content_filter"') + two(3, "null") + done;
    const cut = whole.indexOf('"finish_reason": "length"') + 5;
    const { text, outcome } = await relay([whole.slice(0, cut), whole.slice(cut)], true);
    expect(text).toBe(whole);
    expect(outcome.finishReasons).toEqual(["stop", "length", "content_filter"]);
  });

  test("a stream that ends without [DONE] ends with an error event", async () => {
    const { text, outcome } = await relay([chunk("partial")], false);
    const last = JSON.parse(text.trim().split("\n\n").at(-1)?.slice(6) ?? "{}");
    expect(last.error.code).toBe("upstream_error");
    expect(outcome.error).toContain("before it was complete");
  });
});

describe("upstream error events in a pass-through stream", () => {
  // As at start-up: keyway registers the key shapes of every adapter it loads.
  beforeAll(() => registerAdapterKeyPatterns(builtInAdapters.values()));
  const keyError = (key: string) => `data: {"error":{"message":"Incorrect API key provided: ${key}. See your dashboard.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}\n\n`;

  test("are relayed with the attempt's key (of any shape) and key-shaped tokens redacted, and end the stream as failed", async () => {
    const custom = { ...ctx, apiKey: "opaque-platform-credential-42" };
    let outcome: StreamOutcome | undefined;
    const body = upstream([chunk("Hi"), keyError("opaque-platform-credential-42") + keyError("sk-proj-otherkeyinthetext")]);
    const stream = relayStream({ reader: (body.body as ReadableStream<Uint8Array>).getReader() }, "openai-sse", {
      ctx: custom,
      dialect: openAIChat,
      request: { model: "gpt-4o", messages: [] },
      includeUsage: false,
      abort: new AbortController(),
      onDone: (o) => { outcome = o; },
    });
    const text = await new Response(stream).text();
    expect(text).not.toContain("opaque-platform-credential-42");
    expect(text).not.toContain("sk-proj-otherkeyinthetext");
    expect(text.startsWith(chunk("Hi"))).toBe(true);
    const events = text.trim().split("\n\n").slice(1).map((e) => JSON.parse(e.slice(6)));
    expect(events).toHaveLength(2);
    expect(events[0].error).toEqual({ message: "Incorrect API key provided: [redacted]. See your dashboard.", type: "invalid_request_error", param: null, code: "invalid_api_key" });
    expect(outcome?.error).toBe("Incorrect API key provided: [redacted]. See your dashboard.");
  });

  test("an error event split across reads is still redacted", async () => {
    const event = keyError("sk-secret-relay-key-1");
    const { text, outcome } = await relay([chunk("a"), event.slice(0, 40), event.slice(40)], false);
    expect(text).not.toContain("sk-secret-relay-key-1");
    expect(text).toContain("[redacted]");
    expect(outcome.error).toContain("Incorrect API key provided");
  });

  test("content that merely mentions an error passes through byte for byte", async () => {
    const parts = [chunk('the \\"error\\": {x} field'), finish, done];
    const { text, outcome } = await relay(parts, false);
    expect(text).toBe(parts.join(""));
    expect(outcome.error).toBeUndefined();
  });
});

describe("a stream whose first chunk was already read", () => {
  test("the first chunk goes out first, then the rest of the reader", async () => {
    const rest = upstream([chunk("lo"), finish, done]);
    let outcome: StreamOutcome | undefined;
    const stream = relayStream({ reader: (rest.body as ReadableStream<Uint8Array>).getReader(), first: enc.encode(chunk("Hel")) }, "openai-sse", {
      ctx,
      dialect: openAIChat,
      request: { model: "gpt-4o", messages: [] },
      includeUsage: false,
      abort: new AbortController(),
      onDone: (o) => { outcome = o; },
    });
    expect(await new Response(stream).text()).toBe(chunk("Hel") + chunk("lo") + finish + done);
    expect(outcome?.finishReasons).toEqual(["stop"]);
  });
});

describe("the end of a stream waits for the call's settlement", () => {
  async function readUntilSettled(parts: string[], mode: "openai-sse") {
    let release: () => void = () => {};
    const settled = new Promise<void>((resolve) => { release = resolve; });
    let outcome: StreamOutcome | undefined;
    const stream = relayStream({ reader: (upstream(parts).body as ReadableStream<Uint8Array>).getReader() }, mode, {
      ctx,
      dialect: openAIChat,
      request: { model: "gpt-4o", messages: [] },
      includeUsage: true,
      abort: new AbortController(),
      onDone: (o) => { outcome = o; return settled; },
    });
    const reader = stream.getReader();
    let before = "";
    // read everything that comes before the settlement is released; the read left waiting is kept
    let read = reader.read();
    for (;;) {
      const next = await Promise.race([read, Bun.sleep(50).then(() => "waiting" as const)]);
      if (next === "waiting" || next.done) break;
      before += new TextDecoder().decode(next.value);
      read = reader.read();
    }
    release();
    let after = "";
    for (let next = await read; !next.done; next = await reader.read()) after += new TextDecoder().decode(next.value);
    return { before, after, outcome };
  }

  test("a pass-through stream sends [DONE] only once the settlement resolved, usage already read", async () => {
    const { before, after, outcome } = await readUntilSettled([chunk("Hi"), finish, usage + done], "openai-sse");
    expect(before).toBe(chunk("Hi") + finish + usage);
    expect(after).toBe(done);
    expect(outcome?.usage?.total_tokens).toBe(7);
  });

  test("an upstream cut short: the error event follows the settlement", async () => {
    const { before, after, outcome } = await readUntilSettled([chunk("partial")], "openai-sse");
    expect(before).toBe(chunk("partial"));
    expect(JSON.parse(after.slice(6)).error.code).toBe("upstream_error");
    expect(outcome?.error).toContain("before it was complete");
  });
});

describe("a stream cut off by keyway", () => {
  test("ends at the chunk the check refuses: upstream aborted, an error event with the check's code, the outcome marked", async () => {
    const abort = new AbortController();
    let outcome: StreamOutcome | undefined;
    const stream = relayStream({ reader: (upstream([chunk("one"), chunk("two"), chunk("three"), finish, done]).body as ReadableStream<Uint8Array>).getReader() }, "openai-sse", {
      ctx,
      dialect: openAIChat,
      request: { model: "gpt-4o", messages: [] },
      includeUsage: false,
      abort,
      cutoff: (so_far) => (so_far.chunks >= 2 ? new GatewayError("budget_exceeded", "The team's daily budget ran out during this answer.") : undefined),
      onDone: (o) => { outcome = o; },
    });
    const text = await new Response(stream).text();
    const events = text.trim().split("\n\n").map((e) => JSON.parse(e.slice(6)));
    expect(events).toHaveLength(3);
    expect(events[1].choices[0].delta.content).toBe("two");
    expect(events[2].error).toEqual({ message: "The team's daily budget ran out during this answer.", type: "insufficient_quota", param: null, code: "budget_exceeded" });
    expect(abort.signal.aborted).toBe(true);
    expect(outcome?.cutOff?.code).toBe("budget_exceeded");
    expect(outcome?.chunks).toBe(2);
  });
});

describe("a pass-through stream is read as bytes", () => {
  const bytesOf = (parts: Uint8Array[]) => new Response(new ReadableStream({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } }));
  async function relayBytes(parts: Uint8Array[], includeUsage: boolean) {
    let outcome: StreamOutcome | undefined;
    const stream = relayStream({ reader: (bytesOf(parts).body as ReadableStream<Uint8Array>).getReader() }, "openai-sse", {
      ctx, dialect: openAIChat, request: { model: "gpt-4o", messages: [] }, includeUsage, abort: new AbortController(),
      onDone: (o) => { outcome = o; },
    });
    return { bytes: new Uint8Array(await new Response(stream).arrayBuffer()), outcome: outcome as StreamOutcome };
  }

  test("a character split between two reads reaches the client byte for byte, the usage-only chunk still left out", async () => {
    const whole = enc.encode(chunk("naïve 👋 日本") + finish + usage + done);
    const splitAt = whole.indexOf(0xf0) + 2; // inside the emoji's four bytes
    for (const includeUsage of [true, false]) {
      const { bytes, outcome } = await relayBytes([whole.subarray(0, splitAt), whole.subarray(splitAt)], includeUsage);
      const expected = enc.encode(chunk("naïve 👋 日本") + finish + (includeUsage ? usage : "") + done);
      expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
      expect(outcome.usage?.total_tokens).toBe(7);
      expect(outcome.chunks).toBe(2);
    }
  });

  test("a stream read one byte at a time comes out whole: usage read, the usage-only chunk left out, what follows [DONE] kept", async () => {
    const whole = enc.encode(chunk("é") + finish + usage + done + ": after\n\n");
    const { bytes, outcome } = await relayBytes([...whole].map((byte) => Uint8Array.of(byte)), false);
    expect(new TextDecoder().decode(bytes)).toBe(chunk("é") + finish + done + ": after\n\n");
    expect(outcome.usage?.total_tokens).toBe(7);
    expect(outcome.finishReasons).toEqual(["stop"]);
    expect(outcome.chunks).toBe(2);
    expect(outcome.id).toBe("c1");
  });

  test("a [DONE] line without the space is the end; [DONE] inside content is not", async () => {
    const { text, outcome } = await relay([chunk("say [DONE] now"), finish, "data:[DONE]\n\n"], false);
    expect(text).toBe(chunk("say [DONE] now") + finish + "data:[DONE]\n\n");
    expect(outcome.error).toBeUndefined();
    const unfinished = await relay([chunk("say [DONE] now"), "data: not [DONE]\n\n"], false);
    expect(unfinished.outcome.error).toContain("before it was complete");
  });

  test("CRLF line ends: usage read, the usage-only chunk left out with its blank line (in the same read or the next), [DONE] found", async () => {
    const crlf = (event: string) => event.replace(/\n/g, "\r\n");
    const { text, outcome } = await relay([crlf(chunk("a")), crlf(finish) + crlf(usage), crlf(done)], false);
    expect(outcome.usage?.total_tokens).toBe(7);
    expect(outcome.finishReasons).toEqual(["stop"]);
    expect(text).toBe(crlf(chunk("a")) + crlf(finish) + crlf(done));
    expect(outcome.error).toBeUndefined();
    const split = crlf(finish + usage);
    const cut = split.lastIndexOf("}\r\n") + 3; // the usage line's end in one read, its blank line in the next
    const apart = await relay([crlf(chunk("a")), split.slice(0, cut), split.slice(cut) + crlf(done)], false);
    expect(apart.text).toBe(crlf(chunk("a")) + crlf(finish) + crlf(done));
    // the usage event whole at a read's end: a blank line opening the next read is the upstream's own, and stays
    const whole = await relay([crlf(chunk("a")) + crlf(usage), "\r\n" + crlf(finish) + crlf(done)], false);
    expect(whole.text).toBe(crlf(chunk("a")) + "\r\n" + crlf(finish) + crlf(done));
  });

  test("the answer's id is the first event's that has one, after any opening comments; an escaped or overlong id is skipped", async () => {
    const opened = await relay([": PROCESSING\n\n", chunk("a"), finish, done], false);
    expect(opened.outcome.id).toBe("c1");
    const escaped = chunk("a").replace('"id":"c1"', '"id":"c\\"1"');
    const long = chunk("b").replace('"id":"c1"', `"id":"${"x".repeat(201)}"`);
    const second = chunk("c").replace('"id":"c1"', '"id": "chatcmpl-2"');
    const skipped = await relay([escaped + long + second, done], false);
    expect(skipped.outcome.id).toBe("chatcmpl-2");
  });
});
