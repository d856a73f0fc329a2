// The Anthropic adapter through a real keyway over HTTP, next to an OpenAI provider, both at mock upstreams.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockAnthropic } from "../../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../../helpers/gateway.ts";

const ANTHROPIC_KEY = "sk-ant-api03-e2e000000000000000000001";
const OPENAI_KEY = "sk-proj-e2e00000000000000000000001";
const MODEL = "anthropic/claude-3-5-sonnet-20241022";

let anthropicMock: MockAnthropic;
let openaiMock: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  anthropicMock = new MockAnthropic({ keys: [ANTHROPIC_KEY] }).start();
  openaiMock = new MockOpenAI({ keys: [OPENAI_KEY] }).start();
  gw = await startGateway({
    providers: {
      anthropic: { adapter: "anthropic", base_url: anthropicMock.url, timeout_ms: 3000 },
      openai: { adapter: "openai", base_url: openaiMock.url, timeout_ms: 3000 },
    },
    routing: { retries: 0 },
  });
});
afterAll(async () => {
  await gw?.stop();
  await anthropicMock?.stop();
  await openaiMock?.stop();
});

const chat = (extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: "user", content: "hello" }],
  byok_api_key: ANTHROPIC_KEY,
  ...extra,
});

describe("anthropic through keyway", () => {
  test("a dropped parameter is named in X-Keyway-Dropped-Params and not sent upstream", async () => {
    const res = await gw.post("/v1/chat/completions", chat({ seed: 42, presence_penalty: 0.3, top_k: 3 }));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyway-dropped-params")?.split(",").sort()).toEqual(["presence_penalty", "seed"]);
    const sent = anthropicMock.last();
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.body).not.toHaveProperty("seed");
    expect(sent.body).not.toHaveProperty("presence_penalty");
    expect(sent.body?.top_k).toBe(3);
    expect(sent.body?.max_tokens).toBe(4096);
    expect((await res.json()).choices[0].message.content).toBe("echo: hello");
  });

  test("a request that drops nothing has no X-Keyway-Dropped-Params header", async () => {
    const res = await gw.post("/v1/chat/completions", chat({ temperature: 0.5 }));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyway-dropped-params")).toBeNull();
  });

  test("an sk-ant- key sent for openai/gpt-4o is provider_mismatch (400)", async () => {
    const calls = openaiMock.requests.length;
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }], byok_api_key: ANTHROPIC_KEY });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("provider_mismatch");
    expect(body.error.message).toContain("anthropic");
    expect(JSON.stringify(body)).not.toContain(ANTHROPIC_KEY);
    expect(openaiMock.requests.length).toBe(calls);
  });

  test("an OpenAI key sent for an anthropic model is provider_mismatch too", async () => {
    const res = await gw.post("/v1/chat/completions", chat({ byok_api_key: OPENAI_KEY }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("provider_mismatch");
  });

  test("/v1/embeddings with an anthropic model is invalid_request naming anthropic and embeddings", async () => {
    const calls = anthropicMock.calls.length;
    const res = await gw.post("/v1/embeddings", { model: MODEL, input: "hello", byok_api_key: ANTHROPIC_KEY });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("anthropic");
    expect(body.error.message).toContain("embeddings");
    expect(anthropicMock.calls.length).toBe(calls);
  });

  test("a 529 overloaded answer is upstream_error (502) with Anthropic's message", async () => {
    anthropicMock.failNext({ kind: "overloaded" });
    const res = await gw.post("/v1/chat/completions", chat());
    expect(res.status).toBe(502);
    const body = await res.json();
    expect(body.error.code).toBe("upstream_error");
    expect(body.error.attempts[0].status).toBe(529);
    expect(body.error.attempts[0].reason).toContain("Overloaded");
  });

  test("a 404 for the model is model_not_found", async () => {
    anthropicMock.failNext({ kind: "not_found_model" });
    const res = await gw.post("/v1/chat/completions", chat({ model: "anthropic/claude-nope" }));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("model_not_found");
  });

  test("an error event mid-stream ends the client's stream with an OpenAI error event", async () => {
    anthropicMock.failNext({ kind: "stream_error", afterEvents: 3 });
    const res = await gw.post("/v1/chat/completions", chat({ stream: true, messages: [{ role: "user", content: "a longer answer please" }] }));
    expect(res.status).toBe(200);
    const events = (await res.text()).trim().split("\n\n");
    const last = JSON.parse((events.at(-1) ?? "").slice("data: ".length));
    expect(last.error.code).toBe("upstream_error");
    expect(last.error.message).toContain("Overloaded");
  });

  test("usage is hidden from a stream unless include_usage was asked", async () => {
    const res = await gw.post("/v1/chat/completions", chat({ stream: true }));
    const text = await res.text();
    expect(text).not.toContain('"usage"');
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
  });

  test("a bare claude- model name resolves to anthropic by prefix", async () => {
    const res = await gw.post("/v1/chat/completions", chat({ model: "claude-3-5-sonnet-20241022" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("anthropic");
  });
});
