// GET /v1/providers/health's answer: per provider (and per stored key the caller may see) status, latency,
// success rate, rate-limit headroom and recent issues, in the ParrotRouter seed's shape plus a few fields.
import type { HealthStatus } from "../plugins/sdk.ts";
import type { HealthMonitor, KeyRecord, ProviderRecord } from "./monitor.ts";
import { OUTCOMES, type Outcome, type WindowStats } from "./rolling-window.ts";

export interface HealthView {
  name: string;
  status: HealthStatus;
  /** p50 latency of successful attempts in the window (until the answer started: headers, or a stream's first chunk), ms. */
  latency_ms: number | null;
  latency_p95_ms: number | null;
  /** Percent of judged attempts that succeeded (provider-side failures only count against it). */
  success_rate: number | null;
  rate_limit_remaining: number | null;
  requests: number;
  issues: string[];
}

export interface ProviderHealthView extends HealthView {
  disabled_since?: string;
  next_check_at?: string;
  last_probe?: { at: string; ok: boolean; detail: string };
  keys: (Omit<HealthView, "name"> & { id: string })[];
}

const DESCRIBE: Readonly<Record<Exclude<Outcome, "ok">, string>> = {
  server_error: "server errors",
  timeout: "timeouts",
  rate_limit: "rate-limited answers",
  auth: "refused keys",
  bad_request: "rejected requests",
  model_not_available: "unknown models",
};

const round = (value: number | null, digits = 0): number | null => (value === null ? null : Number(value.toFixed(digits)));
const iso = (at: number) => new Date(at).toISOString();

function issuesOf(stats: WindowStats, minutes: number): string[] {
  const issues: string[] = [];
  for (const outcome of OUTCOMES) {
    if (outcome === "ok") continue;
    const count = stats.counts[outcome];
    if (count === 0) continue;
    const status = stats.lastStatus[outcome];
    issues.push(`${count} ${DESCRIBE[outcome]} in the last ${minutes} min${status ? ` (last: HTTP ${status})` : ""}`);
  }
  return issues;
}

function common(stats: WindowStats, status: HealthStatus, remaining: number | undefined, minutes: number) {
  return {
    status,
    latency_ms: round(stats.p50),
    latency_p95_ms: round(stats.p95),
    success_rate: round(stats.successRate, 1),
    rate_limit_remaining: remaining ?? null,
    requests: stats.samples,
    issues: issuesOf(stats, minutes),
  };
}

function keyStatus(stats: WindowStats): HealthStatus {
  if (stats.samples === 0) return "unknown";
  const refused = stats.counts.auth > 0 && stats.counts.ok === 0;
  return refused || (stats.successRate !== null && stats.successRate < 50) ? "unhealthy" : "healthy";
}

/** Every configured provider; stored keys only where `canSee` says the caller may see them. */
export function providerHealthView(monitor: HealthMonitor, canSee: (key: KeyRecord) => boolean): ProviderHealthView[] {
  const at = monitor.now();
  const minutes = Math.round(monitor.windowMs / 60_000);
  const { latency_threshold: latencyThreshold, health_threshold: healthThreshold } = monitor.settings();
  const keys = monitor.keyRecords().filter(canSee);
  return monitor.providerRecords().map((record: ProviderRecord) => {
    const stats = record.window.stats(at);
    const status = monitor.statusOf(record, stats);
    const view: ProviderHealthView = { name: record.name, ...common(stats, status, record.rateLimitRemaining, minutes), keys: [] };
    if (status === "degraded") view.issues.unshift(`p50 latency ${view.latency_ms} ms is over the ${latencyThreshold} ms threshold`);
    if (status === "unhealthy") view.issues.unshift(`success rate ${view.success_rate}% is under the ${healthThreshold}% threshold`);
    if (record.breaker === "open" && record.disabledAt !== undefined) {
      view.issues.unshift(`disabled by the health monitor: ${record.disabledReason ?? "failing"}`);
      view.disabled_since = iso(record.disabledAt);
      view.next_check_at = iso(record.nextCheckAt);
    }
    if (record.lastProbe) view.last_probe = { at: iso(record.lastProbe.at), ok: record.lastProbe.ok, detail: record.lastProbe.detail };
    for (const key of keys) {
      if (key.provider !== record.name) continue;
      const keyStats = key.window.stats(at);
      view.keys.push({ id: key.id, ...common(keyStats, keyStatus(keyStats), key.rateLimitRemaining, minutes) });
    }
    return view;
  });
}
