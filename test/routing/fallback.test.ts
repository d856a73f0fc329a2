import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { ANTHROPIC_KEY, OPENAI_KEY, readStream, type RoutingRig, startRig } from "./helpers.ts";

const chain = { strategy: "fallback_chain", provider_order: ["openai", "anthropic"] };
let rig: RoutingRig;

beforeAll(async () => {
  rig = await startRig({ routing: { retries: 0 } });
});
afterAll(() => rig.stop());
beforeEach(() => {
  rig.openai.requests.length = 0;
  rig.anthropic.calls.length = 0;
});

describe("fallback across providers through a model group", () => {
  const reasons = [
    ["rate_limit", { kind: "status", status: 429, retryAfter: "1" }, 429],
    ["server_error", { kind: "status", status: 500 }, 500],
    ["server_error (503)", { kind: "status", status: 503 }, 503],
    ["model_not_available", { kind: "status", status: 404 }, 404],
    ["timeout", { kind: "slow", delayMs: 900 }, null],
  ] as const;

  for (const [reason, failure, status] of reasons) {
    test(`${reason}: the next provider answers, with its member of the group; headers say so`, async () => {
      rig.openai.fail(failure);
      const res = await rig.chat({ routing: chain });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-provider-used")).toBe("anthropic");
      expect(res.headers.get("x-byok-used")).toBe("true");
      expect(res.headers.get("x-keyway-attempts")).toBe("2");
      const body = await res.json();
      expect(body.choices[0].message.content).toBe("echo: route me");
      expect(rig.openai.requests[0]?.body?.model).toBe("gpt-4o");
      expect(rig.anthropic.calls[0]?.body?.model).toBe("claude-sonnet-4-5-20250929");
      expect(rig.anthropic.calls[0]?.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
      const spans = rig.gw.spans.getFinishedSpans().filter((s) => s.attributes["keyway.attempt"] === 2);
      expect(spans.at(-1)?.attributes["keyway.fallback.reason"]).toBe(reason.split(" ")[0] as string);
      if (status) expect(spans.length).toBeGreaterThan(0);
    });
  }

  test("a reason left out of fallback_reasons does not fall back: the client gets that provider's error", async () => {
    rig.openai.fail({ kind: "status", status: 429, retryAfter: "7" });
    const res = await rig.chat({ routing: { ...chain, fallback_reasons: ["server_error"] } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    expect((await res.json()).error.code).toBe("upstream_rate_limited");
    expect(rig.anthropic.calls).toHaveLength(0);
  });

  test("a 400 never falls back to another provider", async () => {
    rig.openai.fail({ kind: "status", status: 400 });
    const res = await rig.chat({ routing: chain });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("temperature");
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    expect(rig.anthropic.calls).toHaveLength(0);
  });

  test("a refused key never falls back to another provider", async () => {
    rig.openai.fail({ kind: "status", status: 401 });
    const res = await rig.chat({ routing: chain });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("provider_key_invalid");
    expect(rig.anthropic.calls).toHaveLength(0);
  });

  test("a refused request key does not give way to the caller's stored keys either", async () => {
    const res = await rig.chat({ model: "openai/gpt-4o", byok_api_key: "sk-proj-someoneelses000000000000000001", routing: { strategy: "direct" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    expect(rig.openai.requests).toHaveLength(1);
  });

  test("when every attempt fails, the error lists each one", async () => {
    rig.openai.fail({ kind: "status", status: 500 });
    rig.anthropic.failNext({ kind: "overloaded" });
    const res = await rig.chat({ routing: chain });
    expect(res.status).toBe(502);
    expect(res.headers.get("x-keyway-attempts")).toBe("2");
    const { error } = await res.json();
    expect(error.code).toBe("upstream_error");
    expect(error.attempts).toHaveLength(2);
    expect(error.attempts.map((a: { provider: string; status: number; key_source: string }) => [a.provider, a.status, a.key_source])).toEqual([
      ["openai", 500, "stored"],
      ["anthropic", 529, "stored"],
    ]);
    expect(JSON.stringify(error)).not.toContain(OPENAI_KEY);
  });

  test("provider_order naming an unknown provider is refused with the field", async () => {
    const res = await rig.chat({ routing: { strategy: "fallback_chain", provider_order: ["openai", "nope"] } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.param).toBe("routing.provider_order[1]");
  });
});

describe("streams fall back only before their first byte", () => {
  const stream = { stream: true, routing: chain };

  test("a 500 before the stream starts: the stream comes from the next provider", async () => {
    rig.openai.fail({ kind: "status", status: 500 });
    const res = await rig.chat(stream);
    expect(res.headers.get("x-provider-used")).toBe("anthropic");
    expect(res.headers.get("x-keyway-attempts")).toBe("2");
    expect(await readStream(res)).toEqual({ text: "echo: route me", error: undefined, done: true });
  });

  test("a connection dropped before the first byte, or a first byte that never comes, falls back too", async () => {
    rig.openai.fail({ kind: "disconnect", afterChunks: 0 });
    const dropped = await rig.chat(stream);
    expect(dropped.headers.get("x-provider-used")).toBe("anthropic");
    expect((await readStream(dropped)).text).toBe("echo: route me");
    rig.openai.fail({ kind: "hang-stream", afterChunks: 0 });
    const started = Date.now();
    const hung = await rig.chat(stream);
    expect(hung.headers.get("x-provider-used")).toBe("anthropic");
    expect((await readStream(hung)).text).toBe("echo: route me");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test("once bytes reached the client there is no fallback: the stream ends with an error event", async () => {
    rig.openai.fail({ kind: "disconnect", afterChunks: 2 });
    const res = await rig.chat(stream);
    expect(res.headers.get("x-provider-used")).toBe("openai");
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    const read = await readStream(res);
    expect(read.text.length).toBeGreaterThan(0);
    expect(read.error).toContain("openai stream failed");
    expect(rig.anthropic.calls).toHaveLength(0);
  });
});
