import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { bindProviders } from "../../src/gateway/providers.ts";
import { gateStrategies } from "../../src/health/gate.ts";
import { providerHealthView } from "../../src/health/health-view.ts";
import { createHealthMonitor } from "../../src/health/monitor.ts";
import { rateLimitRemaining } from "../../src/health/rate-limit-headers.ts";
import { percentile, RollingWindow } from "../../src/health/rolling-window.ts";
import type { ProviderSettings } from "../../src/config/schema.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import { builtInStrategies } from "../../src/routing/builtin.ts";
import { candidate, ids, mixed, request } from "../routing/fixtures.ts";

const settings = { auto_disable: true, health_threshold: 95, latency_threshold: 1000, check_interval: 60 };

function setup(configured: Record<string, ProviderSettings> = { openai: { adapter: "openai" }, anthropic: { adapter: "anthropic" }, google: { adapter: "google" } }) {
  let clock = 1_000_000;
  const providers = bindProviders(configured, (s) => builtInAdapters.get(s.adapter) as ProviderAdapter, [...builtInAdapters.values()]);
  const monitor = createHealthMonitor({ providers, settings, now: () => clock, minSamples: 5 });
  const advance = (ms: number) => {
    clock += ms;
  };
  const ok = (provider: string, latency = 100) => monitor.record({ candidate: candidate(provider, "platform", "0"), accountId: "acct", ok: true, status: 200, latencyMs: latency });
  const fail = (provider: string, kind: "server_error" | "timeout" | "auth" | "bad_request" | "rate_limit" = "server_error") =>
    monitor.record({ candidate: candidate(provider, "platform", "0"), accountId: "acct", ok: false, kind, status: kind === "timeout" ? 0 : 500, latencyMs: 50 });
  return { providers, monitor, advance, ok, fail };
}

describe("the rolling window", () => {
  test("nearest-rank percentiles", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(percentile([...Array(100).keys()].map((i) => i + 1), 0.95)).toBe(95);
  });

  test("keeps only the window's time span and its capacity, with running counts", () => {
    const window = new RollingWindow(4, 1_000);
    window.push(0, 0, 10, 200);
    window.push(100, 1, Number.NaN, 500);
    expect(window.judged(100)).toEqual({ ok: 1, failed: 1 });
    expect(window.judged(1_050)).toEqual({ ok: 0, failed: 1 });
    for (let i = 0; i < 6; i++) window.push(1_100 + i, 0, 30 + i, 200);
    const stats = window.stats(1_200);
    expect(stats.samples).toBe(4);
    expect(stats.counts.server_error).toBe(0);
    expect(stats.p50).toBe(33);
    expect(stats.successRate).toBe(100);
  });
});

describe("rate-limit headers", () => {
  test("OpenAI's and Anthropic's names, and the generic one", () => {
    expect(rateLimitRemaining(new Headers({ "x-ratelimit-remaining-requests": "4999" }))).toBe(4999);
    expect(rateLimitRemaining(new Headers({ "anthropic-ratelimit-requests-remaining": "42" }))).toBe(42);
    expect(rateLimitRemaining(new Headers({ "x-ratelimit-remaining": "7" }))).toBe(7);
    expect(rateLimitRemaining(new Headers({ "x-ratelimit-remaining-requests": "lots" }))).toBeUndefined();
    expect(rateLimitRemaining(undefined)).toBeUndefined();
  });
});

describe("the health monitor", () => {
  test("latency p50 and success rate per provider; slow means degraded, not disabled", () => {
    const { monitor, ok } = setup();
    for (const latency of [100, 200, 300]) ok("openai", latency);
    expect(monitor.healthOf("openai")).toEqual({ healthy: true, latencyMs: 200, latencyP95Ms: 300, successRate: 100, status: "healthy" });
    for (let i = 0; i < 5; i++) ok("anthropic", 2_000);
    expect(monitor.healthOf("anthropic")).toMatchObject({ healthy: false, status: "degraded", latencyMs: 2_000 });
    expect(monitor.admits("anthropic", false)).toBe(true);
    expect(monitor.healthOf("google")).toEqual({ healthy: true, latencyMs: undefined, successRate: undefined, status: "unknown" });
  });

  test("auto-disable trips once enough attempts put the success rate under the threshold", () => {
    const { monitor, ok, fail } = setup();
    for (let i = 0; i < 3; i++) fail("openai");
    expect(monitor.disabled("openai")).toBeUndefined();
    ok("openai");
    fail("openai", "timeout");
    expect(monitor.disabled("openai")?.disabledReason).toBe("success rate 20.0% is under the 95% threshold");
    expect(monitor.healthOf("openai").status).toBe("disabled");
    expect(monitor.admits("openai", true)).toBe(false);
  });

  test("failures that blame the caller (refused key, bad request, rate limit) do not count against a provider", () => {
    const { monitor, fail } = setup();
    for (let i = 0; i < 10; i++) {
      fail("openai", "auth");
      fail("openai", "bad_request");
      fail("openai", "rate_limit");
    }
    expect(monitor.disabled("openai")).toBeUndefined();
    expect(monitor.healthOf("openai").status).toBe("healthy");
  });

  test("with auto_disable off a failing provider is reported unhealthy but still routed", () => {
    const { monitor, fail } = setup();
    monitor.configure({ auto_disable: false });
    for (let i = 0; i < 6; i++) fail("openai");
    expect(monitor.disabled("openai")).toBeUndefined();
    expect(monitor.healthOf("openai")).toMatchObject({ healthy: false, status: "unhealthy", successRate: 0 });
  });

  test("half-open without a probe: one trial request per check interval; its success re-enables the provider", () => {
    const { monitor, fail, ok, advance } = setup();
    for (let i = 0; i < 5; i++) fail("openai");
    expect(monitor.admits("openai", false)).toBe(false);
    advance(60_000);
    expect(monitor.admits("openai", false)).toBe(true);
    expect(monitor.admits("openai", false)).toBe(false);
    fail("openai");
    advance(30_000);
    expect(monitor.admits("openai", false)).toBe(false);
    advance(30_000);
    expect(monitor.admits("openai", false)).toBe(true);
    ok("openai");
    expect(monitor.disabled("openai")).toBeUndefined();
    expect(monitor.admits("openai", false)).toBe(true);
    expect(monitor.healthOf("openai").status).toBe("unknown");
  });

  test("turning auto_disable off re-enables every disabled provider; a shorter check_interval brings the next check closer", () => {
    const { monitor, fail } = setup();
    for (let i = 0; i < 5; i++) fail("openai");
    const record = monitor.disabled("openai");
    const before = record?.nextCheckAt ?? 0;
    monitor.configure({ check_interval: 5 });
    expect(record?.nextCheckAt).toBeLessThan(before);
    monitor.configure({ auto_disable: false });
    expect(monitor.disabled("openai")).toBeUndefined();
  });

  test("stored keys get their own record, shown only to their account", () => {
    const { monitor } = setup();
    monitor.record({ candidate: candidate("openai", "stored", "pk_1"), accountId: "acct_a", ok: true, status: 200, latencyMs: 120, headers: new Headers({ "x-ratelimit-remaining-requests": "99" }) });
    monitor.record({ candidate: candidate("openai", "stored", "pk_2"), accountId: "acct_b", ok: false, kind: "auth", status: 401, latencyMs: 30 });
    const mine = providerHealthView(monitor, (key) => key.accountId === "acct_a").find((p) => p.name === "openai");
    // The refused stored key is recorded on that key only: a caller's key says nothing about the provider.
    expect(mine).toMatchObject({ name: "openai", status: "healthy", latency_ms: 120, success_rate: 100, rate_limit_remaining: 99, requests: 1 });
    expect(mine?.keys).toEqual([
      { id: "pk_1", status: "healthy", latency_ms: 120, latency_p95_ms: 120, success_rate: 100, rate_limit_remaining: 99, requests: 1, issues: [] },
    ]);
    expect(mine?.issues).toEqual([]);
    const all = providerHealthView(monitor, () => true).find((p) => p.name === "openai");
    expect(all?.keys.map((k) => [k.id, k.status])).toEqual([["pk_1", "healthy"], ["pk_2", "unhealthy"]]);
    expect(all?.keys.find((k) => k.id === "pk_2")?.issues).toEqual(["1 refused keys in the last 5 min (last: HTTP 401)"]);
  });
});

describe("the health gate in front of strategies", () => {
  test("no built-in strategy ever plans a disabled provider; the others carry their health", async () => {
    const { monitor, providers, fail, ok } = setup();
    for (let i = 0; i < 5; i++) fail("anthropic");
    ok("openai", 250);
    const gated = gateStrategies(builtInStrategies, monitor, providers);
    for (const [name, strategy] of gated) {
      const plan = await strategy.plan(request({ strategy: name, fallbackToPlatform: true, providerOrder: name === "fallback_chain" ? ["anthropic", "openai", "google", "platform"] : undefined }), mixed());
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.some((c) => c.provider === "anthropic")).toBe(false);
      expect(plan.find((c) => c.provider === "openai")?.health).toMatchObject({ healthy: true, latencyMs: 250 });
    }
  });

  test("when every candidate's provider is disabled the request is refused, saying why and when to retry", async () => {
    const { monitor, providers, fail } = setup();
    for (let i = 0; i < 5; i++) fail("openai");
    const strategy = gateStrategies(builtInStrategies, monitor, providers).get("direct");
    try {
      await strategy?.plan(request(), mixed().filter((c) => c.provider === "openai"));
      throw new Error("planned");
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe("upstream_error");
      expect((error as GatewayError).message).toContain("openai: success rate 0.0% is under the 95% threshold");
      expect((error as GatewayError).retryAfterSeconds).toBe(60);
    }
  });

  test("each provider's verdict is asked once a call, whatever the candidates' order (asking may start a trial)", async () => {
    const { monitor, providers } = setup();
    const asked: string[] = [];
    const admits = monitor.admits;
    monitor.admits = (provider, probeable) => {
      asked.push(provider);
      return admits(provider, probeable);
    };
    const strategy = gateStrategies(builtInStrategies, monitor, providers).get("byok_preferred");
    const offered = [candidate("openai", "stored", "pk_1"), candidate("anthropic", "stored", "pk_2"), candidate("openai", "stored", "pk_3")];
    const plan = (await strategy?.plan(request(), offered)) ?? [];
    expect(asked).toEqual(["openai", "anthropic"]);
    expect(ids(plan)).toEqual(["openai:stored:pk_1", "anthropic:stored:pk_2", "openai:stored:pk_3"]);
  });

  test("candidates of providers without the endpoint are left out when others can serve it", async () => {
    const { monitor, providers } = setup();
    const strategy = gateStrategies(builtInStrategies, monitor, providers).get("byok_preferred");
    const plan = (await strategy?.plan(request({ endpoint: "embeddings" }), mixed())) ?? [];
    expect(ids(plan)).toEqual(["openai:request:request", "openai:stored:pk_o1"]);
  });
});

describe("the health view a strategy sees on a candidate", () => {
  test("a stored key rate-limited with Retry-After cools down for that long, with its own headroom; other sources carry no key view", () => {
    const { monitor } = setup();
    const stored = candidate("openai", "stored", "pk_cool");
    const headers = new Headers({ "x-ratelimit-remaining-requests": "7" });
    monitor.record({ candidate: stored, accountId: "acct", ok: false, kind: "rate_limit", status: 429, latencyMs: 20, headers, retryAfterSeconds: 20 });
    const health = monitor.candidateHealth(stored);
    expect(health.key?.coolingDown).toBe(true);
    expect(health.key?.rateLimitRemaining).toBe(7);
    const until = Date.parse(health.key?.coolingUntil ?? "");
    expect(until - monitor.now()).toBe(20_000);
    expect(monitor.candidateHealth(candidate("openai", "stored", "pk_other")).key).toEqual({ coolingDown: false, rateLimitRemaining: undefined, coolingUntil: undefined });
    expect(monitor.candidateHealth(candidate("openai", "platform", "0")).key).toBeUndefined();
  });
});
