import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import OpenAI from "openai";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-caller0000000000000000abcd";
let mock: MockOpenAI;
let gw: TestGateway;
const hello = { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi there" }] };

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY], chunkIntervalMs: 5 }).start();
  gw = await startGateway(openaiAt(mock.url, { timeout_ms: 400 }));
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

function usageRows(): { request_id: string; input_tokens: number; output_tokens: number; cost_micros: number; byok: number; status: number }[] {
  const db = new Database(gw.dbPath, { readonly: true });
  try {
    return db.query("SELECT * FROM usage_records ORDER BY id").all() as never;
  } finally {
    db.close();
  }
}

describe("chat completions with the caller's own key", () => {
  test("non-stream: answer, usage.cost 0, byok flag and headers", async () => {
    const res = await gw.post("/v1/chat/completions", { ...hello, byok_api_key: KEY });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.choices[0].message.content).toBe("echo: hi there");
    expect(body.usage.cost).toBe(0);
    expect(body.usage.total_tokens).toBeGreaterThan(0);
    expect(body.byok_api_key).toBe(true);
    expect(res.headers.get("x-provider-used")).toBe("openai");
    expect(res.headers.get("x-byok-used")).toBe("true");
    expect(res.headers.get("x-ratelimit-bypass")).toBe("BYOK API key used");
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const sent = mock.last();
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body?.model).toBe("gpt-4o");
    expect(sent.body).not.toHaveProperty("byok_api_key");
  });

  test("the X-BYOK-API-Key header works like the body field, and X-Request-Id is echoed", async () => {
    const res = await gw.post("/v1/chat/completions", hello, { "x-byok-api-key": KEY, "x-request-id": "req-abc.123" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-abc.123");
    expect(mock.last().headers.authorization).toBe(`Bearer ${KEY}`);
  });

  test("unknown parameters pass through to the upstream; keyway's own fields do not", async () => {
    await gw.post("/v1/chat/completions", { ...hello, byok_api_key: KEY, provider: "openai", routing: { strategy: "direct" }, seed: 7, metadata: { a: "b" } });
    const sent = mock.last().body ?? {};
    expect(sent.seed).toBe(7);
    expect(sent.metadata).toEqual({ a: "b" });
    for (const field of ["byok_api_key", "provider", "routing"]) expect(sent).not.toHaveProperty(field);
  });

  test("stream: headers on the stream, text deltas, no usage chunk unless asked, usage still recorded", async () => {
    const res = await gw.post("/v1/chat/completions", { ...hello, stream: true, byok_api_key: KEY }, { "x-request-id": "stream-no-usage" });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("x-provider-used")).toBe("openai");
    expect(res.headers.get("x-byok-used")).toBe("true");
    expect(res.headers.get("x-ratelimit-bypass")).toBe("BYOK API key used");
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    const text = await res.text();
    const events = text.trim().split("\n\n").map((e) => e.slice(6));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("echo: hi there");
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(mock.last().body?.stream_options).toEqual({ include_usage: true });
    await Bun.sleep(700);
    const row = usageRows().find((r) => r.request_id === "stream-no-usage");
    expect(row?.output_tokens).toBeGreaterThan(0);
    expect(row?.cost_micros).toBe(0);
    expect(row?.byok).toBe(1);
  });

  test("stream with include_usage: the usage chunk reaches the client", async () => {
    const client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "count" }],
      stream: true,
      stream_options: { include_usage: true },
      byok_api_key: KEY,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  for (const leaveAfterMs of [2, 150]) {
    test(`a client that goes away ${leaveAfterMs} ms into a call the upstream has not answered yet aborts the upstream request`, async () => {
      const slow = new MockOpenAI({ keys: [KEY], latencyMs: 3_000 }).start();
      const gw2 = await startGateway(openaiAt(slow.url));
      try {
        const controller = new AbortController();
        const call = fetch(`${gw2.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${gw2.adminKey}` },
          body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: KEY }),
          signal: controller.signal,
        }).catch((error: unknown) => error);
        for (let i = 0; i < 100 && slow.requests.length === 0; i++) await Bun.sleep(5);
        await Bun.sleep(leaveAfterMs);
        controller.abort();
        await call;
        for (let i = 0; i < 40 && !slow.last().aborted; i++) await Bun.sleep(25);
        expect(slow.last().aborted).toBe(true);
      } finally {
        await gw2.stop();
        await slow.stop();
      }
    });
  }

  test("a client that goes away mid-stream aborts the upstream request", async () => {
    const slow = new MockOpenAI({ keys: [KEY], chunkIntervalMs: 200 }).start();
    const gw2 = await startGateway(openaiAt(slow.url));
    try {
      const controller = new AbortController();
      const res = await fetch(`${gw2.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw2.adminKey}` },
        body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "one two three four five six" }], stream: true, byok_api_key: KEY }),
        signal: controller.signal,
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
      for (let i = 0; i < 40 && !slow.last().aborted; i++) await Bun.sleep(50);
      expect(slow.last().aborted).toBe(true);
    } finally {
      await gw2.stop();
      await slow.stop();
    }
  });
});

describe("errors", () => {
  const post = (body: unknown, headers?: Record<string, string>) => gw.post("/v1/chat/completions", body, headers);

  test("no provider key at all: no_provider_key (400)", async () => {
    const res = await post(hello);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "no_provider_key", type: "invalid_request_error", param: "byok_api_key" });
  });

  test("unknown provider or model: model_not_found (404)", async () => {
    const a = await post({ ...hello, model: "nosuch/model", byok_api_key: KEY });
    expect(a.status).toBe(404);
    expect((await a.json()).error.code).toBe("model_not_found");
    const b = await post({ ...hello, model: "mystery-model-9", byok_api_key: KEY });
    expect((await b.json()).error).toMatchObject({ code: "model_not_found", param: "model" });
  });

  test("a bare model name resolves by prefix", async () => {
    const res = await post({ ...hello, model: "gpt-4o-mini", byok_api_key: KEY });
    expect(res.status).toBe(200);
    expect(mock.last().body?.model).toBe("gpt-4o-mini");
  });

  test("malformed JSON, wrong types and missing fields are 400 invalid_request naming the field", async () => {
    const cases: [unknown, string | null][] = [
      ['{"model": "openai/gpt-4o", "messages": [', null],
      [[1, 2, 3], null],
      [{ messages: [{ role: "user", content: "x" }] }, "model"],
      [{ model: "openai/gpt-4o" }, "messages"],
      [{ model: "openai/gpt-4o", messages: [] }, "messages"],
      [{ model: "openai/gpt-4o", messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
      [{ model: "openai/gpt-4o", messages: [{ role: "user", content: 5 }] }, "messages[0].content"],
      [{ ...hello, temperature: "hot" }, "temperature"],
      [{ ...hello, stream: "yes" }, "stream"],
      [{ ...hello, max_tokens: -1 }, "max_tokens"],
      [{ ...hello, routing: "fast" }, "routing"],
      [{ ...hello, routing: { strategy: "teleport" }, byok_api_key: KEY }, "routing.strategy"],
    ];
    for (const [body, param] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("invalid_request");
      expect(error.param).toBe(param);
      expect(error.message.length).toBeGreaterThan(10);
    }
  });

  test("a body over max_body_bytes is 413 request_too_large, declared or chunked", async () => {
    const small = await startGateway({ ...openaiAt(mock.url), server: { max_body_bytes: 2048 } });
    try {
      const big = JSON.stringify({ ...hello, messages: [{ role: "user", content: "x".repeat(5000) }] });
      const declared = await small.post("/v1/chat/completions", big);
      expect(declared.status).toBe(413);
      expect((await declared.json()).error.code).toBe("request_too_large");
      const chunked = await fetch(`${small.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${small.adminKey}` },
        body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } }),
      });
      expect(chunked.status).toBe(413);
    } finally {
      await small.stop();
    }
  });

  test("missing or unknown keyway key: invalid_api_key (401)", async () => {
    const none = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify(hello) });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe("invalid_api_key");
    const wrong = await post(hello, { authorization: "Bearer kw_not_a_real_key" });
    expect(wrong.status).toBe(401);
    const viaHeader = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "x-api-key": gw.adminKey }, body: JSON.stringify({ ...hello, byok_api_key: KEY }) });
    expect(viaHeader.status).toBe(200);
  });

  test("an upstream slower than timeout_ms is upstream_timeout (504)", async () => {
    mock.fail({ kind: "slow", delayMs: 1500 });
    const res = await post({ ...hello, byok_api_key: KEY });
    expect(res.status).toBe(504);
    expect((await res.json()).error.code).toBe("upstream_timeout");
  });

  test("an unknown model at the provider is model_not_found (404)", async () => {
    mock.fail({ kind: "status", status: 404 });
    const res = await post({ ...hello, byok_api_key: KEY });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("model_not_found");
  });

  test("unknown routes answer 404 in the OpenAI shape", async () => {
    const res = await fetch(`${gw.url}/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });

  test("no input produces a 500: a spread of hostile bodies", async () => {
    const bodies: unknown[] = [
      "null", "true", "\"str\"", "1e309", "{}", "{\"model\":null}", "\u0000", "{\"model\":\"\u202e\",\"messages\":[{}]}",
      { model: "openai/" , messages: [{ role: "user", content: "x" }], byok_api_key: KEY },
      { model: "/", messages: [{ role: "user", content: "x" }], byok_api_key: KEY },
      { model: "openai/gpt-4o", messages: [{ role: "user", content: [{ type: "text", text: "x" }] }], byok_api_key: "" },
      { model: "openai/gpt-4o", messages: [{ role: "user", content: null }], tools: [{ type: "function" }], byok_api_key: KEY },
      { model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }], provider: "", byok_api_key: KEY },
      { model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }], routing: { fallback_reasons: "all" }, byok_api_key: KEY },
      { model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }], routing: { provider_order: [1] }, byok_api_key: KEY },
      { model: "x".repeat(5000), messages: [{ role: "user", content: "x" }] },
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res.status).toBeLessThan(500);
      expect((await res.json()).error ?? {}).toBeDefined();
    }
  });
});

describe("service endpoints", () => {
  test("/health and /ready answer without a key", async () => {
    expect(await (await fetch(`${gw.url}/health`)).json()).toMatchObject({ status: "ok" });
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: true } });
  });

  test("/v1/models lists catalogue entries as provider/model and model groups", async () => {
    const withCatalogue = await startGateway({
      ...openaiAt(mock.url, { models: [{ id: "my-finetune", input_per_mtok: 2.5, output_per_mtok: 10 }] }),
      model_groups: { smart: { openai: "gpt-4o" } },
    });
    try {
      const res = await fetch(`${withCatalogue.url}/v1/models`, { headers: { authorization: `Bearer ${withCatalogue.adminKey}` } });
      const body = await res.json();
      expect(body.object).toBe("list");
      const ids: string[] = body.data.map((m: { id: string }) => m.id);
      // The config's catalogue and group, the built-in catalogue of the configured adapter, and default groups
      // that have a member on a configured provider; nothing of unconfigured providers.
      for (const id of ["openai/my-finetune", "openai/gpt-4o", "openai/gpt-4o-mini", "smart", "flagship"]) expect(ids).toContain(id);
      expect(ids.some((id) => id.startsWith("anthropic/"))).toBe(false);
      const unauthenticated = await fetch(`${withCatalogue.url}/v1/models`);
      expect(unauthenticated.status).toBe(401);
    } finally {
      await withCatalogue.stop();
    }
  });
});

describe("shutdown", () => {
  test("a stream under way when the gateway stops runs to its end; new requests are refused", async () => {
    const slow = new MockOpenAI({ keys: [KEY], chunkIntervalMs: 100 }).start();
    const gw2 = await startGateway(openaiAt(slow.url));
    try {
      const res = await gw2.post("/v1/chat/completions", { ...hello, messages: [{ role: "user", content: "one two three four five" }], stream: true, byok_api_key: KEY });
      const body = res.text();
      await Bun.sleep(150);
      const stopped = gw2.runtime.stop();
      const text = await body;
      expect(text.trim().endsWith("data: [DONE]")).toBe(true);
      expect(text).toContain("five");
      await stopped;
      await expect(fetch(`${gw2.url}/health`)).rejects.toThrow();
    } finally {
      await gw2.stop();
      await slow.stop();
    }
  });
});
