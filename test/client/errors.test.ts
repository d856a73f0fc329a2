// keyway's TypeScript client when things go wrong: keyway's errors as typed errors (code, status, param,
// retryAfter, request id), retries of GETs honouring Retry-After and none of POSTs, stream error events,
// timeouts, aborts, connection failures, and bad arguments refused before anything is sent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  Keyway,
  KeywayError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "keyway/client";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-clienterrors000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;
let client: Keyway;

/** A front that answers the queued responses first, one per request, and passes everything else to keyway. */
function frontOf(target: string) {
  const seen: { method: string; path: string; at: number }[] = [];
  const queued: (() => Response | Promise<Response>)[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({ method: request.method, path: url.pathname, at: Date.now() });
      const canned = queued.shift();
      if (canned) return canned();
      const body = request.method === "POST" ? await request.arrayBuffer() : undefined;
      return fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers: request.headers, body });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, seen, queued, stop: () => server.stop(true) };
}

const keywayError = (status: number, code: string, message: string, headers: Record<string, string> = {}) => () =>
  Response.json({ error: { message, type: "rate_limit_error", param: null, code } }, { status, headers: { "x-request-id": "req-front", ...headers } });

/** Fetch, counting the calls the client makes. */
function countingFetch() {
  const counter = {
    calls: 0,
    fetch: (input: string, init: RequestInit) => {
      counter.calls++;
      return fetch(input, init);
    },
  };
  return counter;
}

/** A port where a TCP server accepts a connection and drops it as soon as the request arrives. */
async function droppingServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => socket.on("data", () => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY], chunkIntervalMs: 5 }).start();
  gw = await startGateway(openaiAt(mock.url));
  client = new Keyway({ apiKey: gw.adminKey, baseURL: gw.url });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("keyway's errors as typed errors", () => {
  test("an unknown keyway key: AuthenticationError invalid_api_key 401, with the request id", async () => {
    const stranger = new Keyway({ apiKey: "kw_not_a_real_key", baseURL: gw.url });
    const error = await stranger.models().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(KeywayError);
    expect(error).toMatchObject({ code: "invalid_api_key", status: 401, type: "authentication_error" });
    expect((error as KeywayError).requestId).toBeTruthy();
    expect((error as KeywayError).message).not.toContain("kw_not_a_real_key");
  });

  test("a model the key may not use: NotFoundError model_not_found 404, param model", async () => {
    const error = await client.model("openai/no-such-model").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "model_not_found", status: 404, param: "model" });
  });

  test("a bad parameter: BadRequestError invalid_request naming it", async () => {
    const error = await client.chat("hi", "openai/gpt-4o-mini", { byokApiKey: KEY, temperature: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: "invalid_request", status: 400, param: "temperature" });
  });

  test("no key can pay: no_provider_key 400", async () => {
    const error = await client.chat("hi", "openai/gpt-4o-mini").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: "no_provider_key", status: 400 });
  });

  test("the provider rate-limits a POST: RateLimitError with retryAfter, not retried by the client", async () => {
    const counter = countingFetch();
    const c = new Keyway({ apiKey: gw.adminKey, baseURL: gw.url, maxRetries: 3, fetch: counter.fetch });
    const before = mock.calls.length;
    mock.fail({ kind: "status", status: 429, retryAfter: "3" });
    const error = await c.chat("hi", "openai/gpt-4o-mini", { byokApiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: "upstream_rate_limited", status: 429, retryAfter: 3 });
    expect((error as KeywayError).attempts[0]).toMatchObject({ provider: "openai", status: 429 });
    expect((error as KeywayError).message).not.toContain(KEY);
    expect(counter.calls).toBe(1);
    expect(mock.calls.length - before).toBe(1);
  });

  test("an error event inside a stream is thrown as a KeywayError with no status, the key not in it", async () => {
    mock.fail({ kind: "error-event", afterChunks: 2 });
    const stream = await client.chatStream("one two three four", "openai/gpt-4o-mini", { byokApiKey: KEY });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) texts.push(chunk.text);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeywayError);
    expect(error).toMatchObject({ status: null, code: "invalid_api_key" });
    expect((error as KeywayError).message).not.toContain(KEY);
    expect(texts.length).toBeGreaterThan(0);
  });
});

describe("retries", () => {
  test("a GET answered 429 with Retry-After is retried after that wait, and succeeds", async () => {
    const front = frontOf(gw.url);
    try {
      front.queued.push(keywayError(429, "rate_limited", "Slow down.", { "retry-after": "1" }));
      const c = new Keyway({ apiKey: gw.adminKey, baseURL: front.url });
      const result = await c.models();
      expect(result.models.length).toBeGreaterThan(0);
      expect(front.seen.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /v1/models", "GET /v1/models"]);
      const waited = (front.seen[1]?.at ?? 0) - (front.seen[0]?.at ?? 0);
      expect(waited).toBeGreaterThanOrEqual(950);
    } finally {
      front.stop();
    }
  });

  test("a POST answered 429 is not retried: the error is thrown at once", async () => {
    const front = frontOf(gw.url);
    try {
      front.queued.push(keywayError(429, "rate_limited", "Slow down.", { "retry-after": "1" }));
      const c = new Keyway({ apiKey: gw.adminKey, baseURL: front.url, maxRetries: 3 });
      const before = mock.calls.length;
      const error = await c.chat("hi", "openai/gpt-4o-mini", { byokApiKey: KEY }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ code: "rate_limited", status: 429, retryAfter: 1, requestId: "req-front" });
      expect(front.seen).toHaveLength(1);
      expect(mock.calls.length).toBe(before);
    } finally {
      front.stop();
    }
  });

  test("a Retry-After longer than maxRetryDelayMs is thrown at once, even on a GET", async () => {
    const front = frontOf(gw.url);
    try {
      front.queued.push(keywayError(429, "rate_limited", "Slow down.", { "retry-after": "120" }));
      const c = new Keyway({ apiKey: gw.adminKey, baseURL: front.url, maxRetryDelayMs: 5000 });
      const error = await c.models().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "rate_limited", retryAfter: 120 });
      expect(front.seen).toHaveLength(1);
    } finally {
      front.stop();
    }
  });

  test("a GET answered 503 is retried with backoff up to maxRetries, then thrown as a ServerError", async () => {
    const front = frontOf(gw.url);
    try {
      front.queued.push(keywayError(503, "limits_unavailable", "Counters unreachable."), keywayError(503, "limits_unavailable", "Counters unreachable."));
      const c = new Keyway({ apiKey: gw.adminKey, baseURL: front.url, maxRetries: 1 });
      const error = await c.analytics().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toMatchObject({ code: "limits_unavailable", status: 503 });
      expect(front.seen).toHaveLength(2);
    } finally {
      front.stop();
    }
  });

  test("a refused connection is retried even for a POST (nothing was sent); a dropped one only for a GET", async () => {
    const refused = countingFetch();
    const c = new Keyway({ apiKey: gw.adminKey, baseURL: await closedPort(), maxRetries: 2, fetch: refused.fetch });
    const error = await c.chat("hi", "openai/gpt-4o-mini", { byokApiKey: KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: "connection_error", status: null });
    expect(refused.calls).toBe(3);

    const dropping = await droppingServer();
    try {
      const post = countingFetch();
      const postClient = new Keyway({ apiKey: gw.adminKey, baseURL: dropping.url, maxRetries: 2, fetch: post.fetch });
      expect(await postClient.chat("hi", "openai/gpt-4o-mini").catch((e: unknown) => e)).toBeInstanceOf(ConnectionError);
      expect(post.calls).toBe(1);
      const get = countingFetch();
      const getClient = new Keyway({ apiKey: gw.adminKey, baseURL: dropping.url, maxRetries: 2, fetch: get.fetch });
      expect(await getClient.models().catch((e: unknown) => e)).toBeInstanceOf(ConnectionError);
      expect(get.calls).toBe(3);
    } finally {
      dropping.server.close();
    }
  });
});

describe("timeouts, aborts and bad arguments", () => {
  test("no answer within timeoutMs: TimeoutError; a POST is not repeated", async () => {
    const front = frontOf(gw.url);
    try {
      front.queued.push(async () => {
        await Bun.sleep(1000);
        return Response.json({});
      });
      const c = new Keyway({ apiKey: gw.adminKey, baseURL: front.url, timeoutMs: 150, maxRetries: 2 });
      const error = await c.chat("hi", "openai/gpt-4o-mini", { byokApiKey: KEY }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ code: "timeout", status: null });
      expect(front.seen).toHaveLength(1);
    } finally {
      front.stop();
    }
  });

  test("the caller's signal aborts the call: AbortError", async () => {
    const front = frontOf(gw.url);
    try {
      front.queued.push(async () => {
        await Bun.sleep(1000);
        return Response.json({});
      });
      const c = new Keyway({ apiKey: gw.adminKey, baseURL: front.url });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await c.models({ signal: controller.signal }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect(error).toMatchObject({ code: "aborted" });
      expect(front.seen).toHaveLength(1);
    } finally {
      front.stop();
    }
  });

  test("a stream cut short (no [DONE]) throws stream_incomplete; the caller's signal aborts a stream", async () => {
    const front = frontOf(gw.url);
    try {
      const chunk = { id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "partial" }, finish_reason: null }] };
      front.queued.push(() => new Response(`data: ${JSON.stringify(chunk)}\n\n`, { headers: { "content-type": "text/event-stream", "x-provider-used": "openai" } }));
      const c = new Keyway({ apiKey: gw.adminKey, baseURL: front.url });
      const cut = await c.chatStream("hi", "openai/gpt-4o-mini", { byokApiKey: KEY });
      expect(cut.providerUsed).toBe("openai");
      const texts: string[] = [];
      const error = await (async () => {
        for await (const piece of cut) texts.push(piece.text);
      })().catch((e: unknown) => e);
      expect(texts).toEqual(["partial"]);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ code: "stream_incomplete", status: null });
    } finally {
      front.stop();
    }

    const slow = new MockOpenAI({ keys: [KEY], chunkIntervalMs: 200 }).start();
    const gw2 = await startGateway(openaiAt(slow.url));
    try {
      const controller = new AbortController();
      const c = new Keyway({ apiKey: gw2.adminKey, baseURL: gw2.url });
      const stream = await c.chatStream("a b c d e f g h", "openai/gpt-4o-mini", { byokApiKey: KEY, signal: controller.signal });
      setTimeout(() => controller.abort(), 250);
      const error = await stream.text().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      const deadline = Date.now() + 3000;
      while (!slow.last().aborted && Date.now() < deadline) await Bun.sleep(20);
      expect(slow.last().aborted).toBe(true);
    } finally {
      await gw2.stop();
      await slow.stop();
    }
  });

  test("bad arguments are refused before anything is sent, as invalid_request naming the argument", async () => {
    const counter = countingFetch();
    const c = new Keyway({ apiKey: gw.adminKey, baseURL: gw.url, fetch: counter.fetch });
    const refusals = [
      c.chat([], "openai/gpt-4o-mini"),
      c.embeddings([], "openai/text-embedding-3-small"),
      c.images("x", "openai/dall-e-3", { size: "1024x1024", aspectRatio: "1:1" } as never),
      c.textToSpeech("Hello", "openai/tts-1", {} as never),
      c.chat("hi", "openai/gpt-4o-mini", { byokApiKey: "" }),
      c.model(""),
    ];
    const errors = await Promise.all(refusals.map((p: Promise<unknown>) => p.catch((e: unknown) => e)));
    expect(errors.map((e) => (e as KeywayError).param)).toEqual(["messages", "text", "aspectRatio", "voice", "byokApiKey", "id"]);
    for (const error of errors) expect(error).toMatchObject({ code: "invalid_request", status: null });
    expect(counter.calls).toBe(0);
    expect(() => new Keyway({ apiKey: "kw_x", baseURL: "localhost:8080" })).toThrow(KeywayError);
    expect(() => new Keyway({ apiKey: "", baseURL: gw.url })).toThrow("apiKey");
  });
});
