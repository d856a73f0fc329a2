// The monitor records only what the provider answered for: failures a caller caused never move its health.
import { expect, test } from "bun:test";
import { bindProviders } from "../../src/gateway/providers.ts";
import { providerHealthView } from "../../src/health/health-view.ts";
import { createHealthMonitor } from "../../src/health/monitor.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import { candidate } from "../routing/fixtures.ts";

test("a flood of caller-caused failures, with auto_disable on, leaves the provider untouched; its own 5xx still count", () => {
  const providers = bindProviders({ openai: { adapter: "openai" } }, (s) => builtInAdapters.get(s.adapter) as ProviderAdapter, [...builtInAdapters.values()]);
  const monitor = createHealthMonitor({ providers, settings: { auto_disable: true, health_threshold: 95, latency_threshold: 1000, check_interval: 60 }, minSamples: 5 });
  for (let i = 0; i < 12; i++) {
    monitor.record({ candidate: candidate("openai", "request", "req"), accountId: "acct_zero", ok: false, kind: "auth", status: 401, latencyMs: 20 });
    monitor.record({ candidate: candidate("openai", "request", "req"), accountId: "acct_zero", ok: false, kind: "bad_request", status: 400, latencyMs: 20 });
    monitor.record({ candidate: candidate("openai", "platform", "0"), accountId: "acct_zero", ok: false, kind: "bad_request", status: 0, latencyMs: Number.NaN });
  }
  expect(monitor.disabled("openai")).toBeUndefined();
  expect(monitor.healthOf("openai")).toMatchObject({ healthy: true, status: "unknown" });
  expect(providerHealthView(monitor, () => true)).toEqual([
    { name: "openai", status: "unknown", latency_ms: null, latency_p95_ms: null, success_rate: null, rate_limit_remaining: null, requests: 0, issues: [], keys: [] },
  ]);
  for (let i = 0; i < 5; i++) monitor.record({ candidate: candidate("openai", "request", "req"), accountId: "acct_zero", ok: false, kind: "server_error", status: 500, latencyMs: 20 });
  expect(monitor.disabled("openai")?.disabledReason).toContain("success rate 0.0%");
});
