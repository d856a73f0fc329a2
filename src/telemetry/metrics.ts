// Prometheus metrics (GET /metrics) when `telemetry.prometheus` is on: prom-client, loaded only then.
import type { EndpointName, KeySource } from "../plugins/sdk.ts";

export interface CallMetric {
  endpoint: EndpointName;
  provider: string | null;
  keySource: KeySource | string | null;
  status: number;
  seconds: number;
  inputTokens: number;
  outputTokens: number;
  /** List price of the call, USD, whoever paid. */
  estimatedCostUsd: number;
  /** What the account was charged, USD (0 when a BYOK key paid). */
  chargedUsd: number;
}

/** Money reaches metrics in USD (the exposition's unit), converted by callers with src/usage/money.ts `microsToUsd`. */
export interface Metrics {
  record(call: CallMetric): void;
  /** A platform-key call charged `usd` more than the credits reserved for it. */
  creditOvershoot(provider: string, usd: number): void;
  /** An alert of this type fired (once per alert and window). */
  alertFired(type: string): void;
  /** The exposition text and its content type. */
  render(): Promise<{ body: string; contentType: string }>;
}

export async function createMetrics(): Promise<Metrics> {
  const prom = await import("prom-client");
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry, prefix: "keyway_" });
  const labels = ["endpoint", "provider", "key_source"] as const;
  const requests = new prom.Counter({ name: "keyway_requests_total", help: "Inference requests, by outcome", labelNames: [...labels, "status"], registers: [registry] });
  const duration = new prom.Histogram({
    name: "keyway_request_duration_seconds",
    help: "Time from request to the end of the answer (streams included)",
    labelNames: ["endpoint", "provider"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const tokens = new prom.Counter({ name: "keyway_tokens_total", help: "Tokens, by direction", labelNames: ["provider", "direction"], registers: [registry] });
  const listCost = new prom.Counter({ name: "keyway_estimated_cost_usd_total", help: "Provider list price of the calls, whoever paid", labelNames: [...labels], registers: [registry] });
  const charged = new prom.Counter({ name: "keyway_charged_usd_total", help: "Credits charged for calls paid by platform keys", labelNames: ["provider"], registers: [registry] });
  const overshoots = new prom.Counter({ name: "keyway_credit_overshoots_total", help: "Platform-key calls charged more than their credits reservation", labelNames: ["provider"], registers: [registry] });
  const overshootUsd = new prom.Counter({ name: "keyway_credit_overshoot_usd_total", help: "Credits charged beyond the reservations, USD", labelNames: ["provider"], registers: [registry] });
  const alertsFired = new prom.Counter({ name: "keyway_alerts_fired_total", help: "Alert firings, by alert type", labelNames: ["type"], registers: [registry] });
  // Both types are shown from the start (at 0), so a rate over them exists before the first firing.
  for (const type of ["byok_cost_threshold", "byok_usage_anomaly"]) alertsFired.inc({ type }, 0);
  return {
    alertFired(type) {
      alertsFired.inc({ type });
    },
    creditOvershoot(provider, usd) {
      overshoots.inc({ provider });
      overshootUsd.inc({ provider }, usd);
    },
    record(call) {
      const provider = call.provider ?? "none";
      const base = { endpoint: call.endpoint, provider, key_source: call.keySource ?? "none" };
      requests.inc({ ...base, status: String(call.status) });
      duration.observe({ endpoint: call.endpoint, provider }, call.seconds);
      if (call.inputTokens > 0) tokens.inc({ provider, direction: "input" }, call.inputTokens);
      if (call.outputTokens > 0) tokens.inc({ provider, direction: "output" }, call.outputTokens);
      if (call.estimatedCostUsd > 0) listCost.inc(base, call.estimatedCostUsd);
      if (call.chargedUsd > 0) charged.inc({ provider }, call.chargedUsd);
    },
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
