import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { OPENAI_PLATFORM, type RoutingRig, startRig } from "../routing/helpers.ts";

const chain = { strategy: "fallback_chain", provider_order: ["openai", "anthropic"] };

interface ProviderView {
  name: string;
  status: string;
  latency_ms: number | null;
  success_rate: number | null;
  rate_limit_remaining: number | null;
  issues: string[];
  last_probe?: { ok: boolean; detail: string };
  keys: { id: string }[];
}

async function healthOf(rig: RoutingRig, name: string, key = rig.gw.adminKey): Promise<ProviderView> {
  const res = await fetch(`${rig.gw.url}/v1/providers/health`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { providers: ProviderView[] };
  return body.providers.find((p) => p.name === name) as ProviderView;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await Bun.sleep(100);
    value = await read();
  }
  return value;
}

describe("auto-disable and recovery while an upstream turns bad and good again", () => {
  let rig: RoutingRig;

  beforeAll(async () => {
    rig = await startRig({ routing: { retries: 0 }, health: { auto_disable: true, health_threshold: 95, check_interval: 1 } });
  });
  afterAll(() => rig.stop());

  test("healthy traffic is measured: latency, success rate, the upstream's rate-limit headroom", async () => {
    const res = await rig.chat({ model: "openai/gpt-4o" });
    expect(res.status).toBe(200);
    rig.openai.fail({ kind: "status", status: 429, retryAfter: "1" });
    expect((await rig.chat({ model: "openai/gpt-4o" })).status).toBe(429);
    const openai = await healthOf(rig, "openai");
    expect(openai.status).toBe("healthy");
    expect(openai.success_rate).toBe(100);
    expect(openai.latency_ms).toBeGreaterThanOrEqual(0);
    expect(openai.rate_limit_remaining).toBe(0);
    expect(openai.issues).toEqual(["1 rate-limited answers in the last 5 min (last: HTTP 429)"]);
    expect(openai.keys).toHaveLength(1);
  });

  test("failing attempts trip the breaker; then every strategy skips the provider without calling it", async () => {
    // The upstream turns bad: with the success above, four 500s make five judged attempts at 20 % success.
    rig.openai.fail(...Array.from({ length: 4 }, () => ({ kind: "status" as const, status: 500 as const })));
    rig.openai.fail({ kind: "status", status: 500 }); // and the first probe fails too
    for (let i = 0; i < 4; i++) {
      const res = await rig.chat({ routing: chain });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-provider-used")).toBe("anthropic");
      expect(res.headers.get("x-keyway-attempts")).toBe("2");
    }
    const calls = rig.openai.requests.length;
    for (const routing of [chain, { strategy: "byok_preferred" }, { strategy: "cost_optimized" }, { strategy: "latency_optimized" }, { strategy: "weighted" }]) {
      const res = await rig.chat({ routing });
      expect(res.headers.get("x-provider-used")).toBe("anthropic");
      expect(res.headers.get("x-keyway-attempts")).toBe("1");
    }
    expect(rig.openai.requests.length).toBe(calls);
    const direct = await rig.chat({ model: "openai/gpt-4o" });
    expect(direct.status).toBe(502);
    expect((await direct.json()).error.message).toContain("disabled by the health monitor");
    const openai = await healthOf(rig, "openai");
    expect(openai.status).toBe("disabled");
    expect(openai.issues[0]).toContain("disabled by the health monitor: success rate");
  });

  test("a failed probe keeps it disabled; once the upstream is good again a probe re-enables it", async () => {
    const probed = await until(() => healthOf(rig, "openai"), (p) => p.last_probe !== undefined);
    expect(probed.last_probe?.ok).toBe(false);
    expect(probed.status).toBe("disabled");
    const probe = rig.openai.requests.find((r) => r.method === "GET");
    expect(probe?.path).toBe("/v1/models");
    expect(probe?.headers.authorization).toBe(`Bearer ${OPENAI_PLATFORM}`);
    const recovered = await until(() => healthOf(rig, "openai"), (p) => p.status !== "disabled");
    expect(recovered.status).toBe("unknown");
    expect(recovered.last_probe?.ok).toBe(true);
    const res = await rig.chat({ routing: chain });
    expect(res.headers.get("x-provider-used")).toBe("openai");
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
  });
});

describe("without a platform key to probe with", () => {
  let rig: RoutingRig;

  beforeAll(async () => {
    rig = await startRig({ routing: { retries: 0 }, health: { auto_disable: true, check_interval: 1 } }, { platformKeys: false });
  });
  afterAll(() => rig.stop());

  test("the provider is half-opened after check_interval: one real request goes through and re-enables it", async () => {
    rig.openai.fail(...Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 500 as const })));
    for (let i = 0; i < 5; i++) await rig.chat({ routing: chain });
    expect((await healthOf(rig, "openai")).status).toBe("disabled");
    const skipped = await rig.chat({ routing: chain });
    expect(skipped.headers.get("x-provider-used")).toBe("anthropic");
    expect(skipped.headers.get("x-keyway-attempts")).toBe("1");
    await Bun.sleep(1_100);
    const trial = await rig.chat({ routing: chain });
    expect(trial.headers.get("x-provider-used")).toBe("openai");
    expect((await healthOf(rig, "openai")).status).not.toBe("disabled");
    expect(rig.openai.requests.every((r) => r.method === "POST")).toBe(true);
  });
});

describe("POST /v1/providers/health-check", () => {
  let rig: RoutingRig;

  beforeAll(async () => {
    rig = await startRig({ routing: { retries: 0 } });
  });
  afterAll(() => rig.stop());

  test("the operator sets auto_disable, thresholds and interval; the answer carries the new settings", async () => {
    const res = await rig.gw.post("/v1/providers/health-check", { auto_disable: true, health_threshold: 90, latency_threshold: 1000, check_interval: 30 });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.settings).toEqual({ auto_disable: true, health_threshold: 90, latency_threshold: 1000, check_interval: 30 });
    expect(body.providers.map((p: { name: string }) => p.name)).toEqual(["openai", "anthropic"]);
    const read = await fetch(`${rig.gw.url}/v1/providers/health`, { headers: { authorization: `Bearer ${rig.gw.adminKey}` } });
    expect((await read.json()).settings.health_threshold).toBe(90);
  });

  test("turning auto_disable off re-enables a disabled provider at once", async () => {
    rig.openai.fail(...Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 500 as const })));
    for (let i = 0; i < 5; i++) await rig.chat({ routing: chain });
    expect((await healthOf(rig, "openai")).status).toBe("disabled");
    await rig.gw.post("/v1/providers/health-check", { auto_disable: false });
    expect((await healthOf(rig, "openai")).status).not.toBe("disabled");
    expect((await rig.chat({ routing: chain })).headers.get("x-provider-used")).toBe("openai");
  });

  test("bad values are refused naming the field; account keys may read health but not change it", async () => {
    const bad = await rig.gw.post("/v1/providers/health-check", { health_threshold: 150 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.param).toBe("health_threshold");
    const unknown = await rig.gw.post("/v1/providers/health-check", { auto_disabled: true });
    expect(unknown.status).toBe(400);
    const account = await (await rig.gw.post("/v1/accounts", { name: "tenant", credits: 1 })).json();
    const forbidden = await rig.gw.post("/v1/providers/health-check", { auto_disable: true }, { authorization: `Bearer ${account.key}` });
    expect(forbidden.status).toBe(403);
    const tenantView = await healthOf(rig, "openai", account.key);
    expect(tenantView.keys).toEqual([]);
    const noKey = await fetch(`${rig.gw.url}/v1/providers/health`);
    expect(noKey.status).toBe(401);
  });
});
