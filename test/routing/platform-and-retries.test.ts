import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { ANTHROPIC_PLATFORM, OPENAI_KEY, OPENAI_PLATFORM, type RoutingRig, startRig } from "./helpers.ts";

describe("platform keys", () => {
  let rig: RoutingRig;
  let newcomer: string;

  beforeAll(async () => {
    rig = await startRig({ routing: { retries: 0 } });
    const account = await rig.gw.post("/v1/accounts", { name: "newcomer", credits: 10 });
    newcomer = (await account.json()).key;
  });
  afterAll(() => rig.stop());
  beforeEach(() => {
    rig.openai.requests.length = 0;
    rig.anthropic.calls.length = 0;
  });

  const asNewcomer = (headers: Record<string, string> = {}) => ({ authorization: `Bearer ${newcomer}`, ...headers });

  test("a caller with no key of its own for the provider is served by a platform key", async () => {
    const res = await rig.chat({ model: "openai/gpt-4o" }, asNewcomer());
    expect(res.status).toBe(200);
    expect(res.headers.get("x-byok-used")).toBe("false");
    expect(res.headers.get("x-ratelimit-bypass")).toBeNull();
    expect(rig.openai.last().headers.authorization).toBe(`Bearer ${OPENAI_PLATFORM}`);
  });

  test("with X-Use-BYOK: true it is not: no key of its own means no_provider_key, and no upstream call", async () => {
    const res = await rig.chat({ model: "openai/gpt-4o" }, asNewcomer({ "x-use-byok": "true" }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("no_provider_key");
    expect(rig.openai.requests).toHaveLength(0);
    const field = await rig.chat({ model: "openai/gpt-4o", routing: { use_byok_only: true } }, asNewcomer());
    expect(field.status).toBe(400);
  });

  test("a caller with its own key is not moved to platform keys after a failure unless fallback_to_platform", async () => {
    rig.openai.fail({ kind: "status", status: 429, retryAfter: "2" });
    const stays = await rig.chat({ model: "openai/gpt-4o" });
    expect(stays.status).toBe(429);
    expect(stays.headers.get("x-keyway-attempts")).toBe("1");
    rig.openai.fail({ kind: "status", status: 500 });
    const moves = await rig.chat({ model: "openai/gpt-4o", routing: { fallback_to_platform: true } });
    expect(moves.status).toBe(200);
    expect(moves.headers.get("x-keyway-attempts")).toBe("2");
    expect(moves.headers.get("x-byok-used")).toBe("false");
    expect(rig.openai.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${OPENAI_KEY}`, `Bearer ${OPENAI_KEY}`, `Bearer ${OPENAI_PLATFORM}`]);
  });

  test("fallback_chain with `platform` in provider_order: the caller's keys first, then platform keys at that place", async () => {
    rig.openai.fail({ kind: "status", status: 500 });
    rig.anthropic.failNext({ kind: "server_error" });
    const res = await rig.chat({ routing: { strategy: "fallback_chain", provider_order: ["openai", "anthropic", "platform"] } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("openai");
    expect(res.headers.get("x-byok-used")).toBe("false");
    expect(res.headers.get("x-keyway-attempts")).toBe("3");
    expect(rig.openai.last().headers.authorization).toBe(`Bearer ${OPENAI_PLATFORM}`);
  });

  test("the same chain under X-Use-BYOK never reaches the platform entry", async () => {
    rig.openai.fail({ kind: "status", status: 500 });
    rig.anthropic.failNext({ kind: "server_error" });
    const res = await rig.chat({ routing: { strategy: "fallback_chain", provider_order: ["openai", "anthropic", "platform"] } }, { "x-use-byok": "true" });
    expect(res.status).toBe(502);
    expect(res.headers.get("x-keyway-attempts")).toBe("2");
    expect(rig.anthropic.calls.map((c) => c.headers["x-api-key"])).not.toContain(ANTHROPIC_PLATFORM);
  });
});

describe("retries", () => {
  let rig: RoutingRig;

  beforeAll(async () => {
    rig = await startRig({ routing: { retries: 1 } });
  });
  afterAll(() => rig.stop());
  beforeEach(() => {
    rig.openai.requests.length = 0;
    rig.anthropic.calls.length = 0;
  });

  test("a 429 is retried on the same key after its Retry-After", async () => {
    rig.openai.fail({ kind: "status", status: 429, retryAfter: "1" });
    const started = Date.now();
    const res = await rig.chat({ model: "openai/gpt-4o", routing: { strategy: "direct" } });
    const waited = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyway-attempts")).toBe("2");
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(rig.openai.requests).toHaveLength(2);
  });

  test("a 5xx without Retry-After is retried after a short backoff", async () => {
    rig.openai.fail({ kind: "status", status: 503 });
    const started = Date.now();
    const res = await rig.chat({ model: "openai/gpt-4o", routing: { strategy: "direct" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyway-attempts")).toBe("2");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  test("a Retry-After beyond 10 s is not waited for: the next candidate is tried at once", async () => {
    rig.openai.fail({ kind: "status", status: 429, retryAfter: "30" });
    const started = Date.now();
    const res = await rig.chat({ routing: { strategy: "fallback_chain", provider_order: ["openai", "anthropic"] } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("anthropic");
    expect(res.headers.get("x-keyway-attempts")).toBe("2");
    expect(Date.now() - started).toBeLessThan(900);
  });

  test("a 400 is never retried", async () => {
    rig.openai.fail({ kind: "status", status: 400 });
    const res = await rig.chat({ model: "openai/gpt-4o" });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
  });
});
