// Prometheus metrics (GET /metrics) when `telemetry.prometheus` is on: prom-client, loaded only then. The same
// series as the OTLP metrics (otlp-metrics.ts): the GenAI client metrics under their Prometheus names, and keyway's own.
import { BUCKETS, type CallObserver } from "./metric-types.ts";

export type { CallMetric } from "./metric-types.ts";

/** Money reaches metrics in USD (the exposition's unit), converted by callers with src/usage/money.ts `microsToUsd`. */
export interface Metrics extends CallObserver {
  /** A platform-key call charged `usd` more than the credits reserved for it. */
  creditOvershoot(provider: string, usd: number): void;
  /** An alert of this type fired (once per alert and window). */
  alertFired(type: string): void;
  /** The exposition text and its content type. */
  render(): Promise<{ body: string; contentType: string }>;
}

const GEN_AI_LABELS = ["gen_ai_operation_name", "gen_ai_provider_name", "keyway_provider", "gen_ai_request_model", "gen_ai_response_model", "error_type"] as const;

function genAiLabels(l: { operation: string; system: string; provider: string; requestModel: string; responseModel?: string }, errorType?: string) {
  return {
    gen_ai_operation_name: l.operation,
    gen_ai_provider_name: l.system,
    keyway_provider: l.provider,
    gen_ai_request_model: l.requestModel,
    gen_ai_response_model: l.responseModel ?? "",
    error_type: errorType ?? "",
  };
}

export async function createMetrics(): Promise<Metrics> {
  const prom = await import("prom-client");
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry, prefix: "keyway_" });
  const registers = [registry];
  const labels = ["endpoint", "provider", "key_source"] as const;
  const requests = new prom.Counter({ name: "keyway_requests_total", help: "Inference requests, by outcome (refusals included)", labelNames: [...labels, "status"], registers });
  const duration = new prom.Histogram({
    name: "keyway_request_duration_seconds",
    help: "Time from request to the end of the answer (streams included)",
    labelNames: ["endpoint", "provider"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const tokens = new prom.Counter({ name: "keyway_tokens_total", help: "Tokens, by direction", labelNames: ["provider", "direction"], registers });
  const listCost = new prom.Counter({ name: "keyway_estimated_cost_usd_total", help: "Provider list price of the calls, whoever paid", labelNames: [...labels], registers });
  const charged = new prom.Counter({ name: "keyway_charged_usd_total", help: "Credits charged for calls paid by platform keys", labelNames: ["provider"], registers });
  const overshoots = new prom.Counter({ name: "keyway_credit_overshoots_total", help: "Platform-key calls charged more than their credits reservation", labelNames: ["provider"], registers });
  const overshootUsd = new prom.Counter({ name: "keyway_credit_overshoot_usd_total", help: "Credits charged beyond the reservations, USD", labelNames: ["provider"], registers });
  const alertsFired = new prom.Counter({ name: "keyway_alerts_fired_total", help: "Alert firings, by alert type", labelNames: ["type"], registers });
  const refusals = new prom.Counter({ name: "keyway_refusals_total", help: "Error answers, by keyway error code (400/401 refusals before any upstream included)", labelNames: ["endpoint", "code", "status"], registers });
  const attempts = new prom.Counter({ name: "keyway_attempts_total", help: "Upstream attempts, by outcome (ok or the failure kind)", labelNames: ["provider", "outcome"], registers });
  const fallbacks = new prom.Counter({ name: "keyway_fallbacks_total", help: "Failed attempts after which keyway tried again (retry, next key or provider), by reason", labelNames: ["provider", "reason"], registers });
  const hidden = new prom.Counter({ name: "keyway_hidden_failures_total", help: "Failed attempts of requests that still succeeded (a fallback or retry hid them)", labelNames: ["provider", "reason"], registers });
  const cooldowns = new prom.Counter({ name: "keyway_key_cooldowns_total", help: "Stored keys set to cool down after a provider's rate limit", registers });
  const circuits: (() => Iterable<readonly [string, boolean]>)[] = [];
  new prom.Gauge({
    name: "keyway_circuit_open",
    help: "1 while a provider's circuit breaker is open (provider disabled), else 0",
    labelNames: ["provider"],
    registers,
    collect() {
      for (const read of circuits) for (const [provider, open] of read()) this.set({ provider }, open ? 1 : 0);
    },
  });
  const opDuration = new prom.Histogram({ name: "gen_ai_client_operation_duration_seconds", help: "GenAI operation duration (each upstream attempt)", labelNames: [...GEN_AI_LABELS], buckets: [...BUCKETS.durationSeconds], registers });
  const tokenUsage = new prom.Histogram({ name: "gen_ai_client_token_usage", help: "Tokens used per GenAI operation, by token type", labelNames: [...GEN_AI_LABELS, "gen_ai_token_type"], buckets: [...BUCKETS.tokens], registers });
  const firstChunk = new prom.Histogram({ name: "gen_ai_client_operation_time_to_first_chunk_seconds", help: "Streams: time from the request to the first chunk", labelNames: [...GEN_AI_LABELS], buckets: [...BUCKETS.durationSeconds], registers });
  const perChunk = new prom.Histogram({ name: "gen_ai_client_operation_time_per_output_chunk_seconds", help: "Streams: time between output chunks after the first", labelNames: [...GEN_AI_LABELS], buckets: [...BUCKETS.chunkSeconds], registers });
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
      if (call.errorCode) refusals.inc({ endpoint: call.endpoint, code: call.errorCode, status: String(call.status) });
      if (call.inputTokens > 0) tokens.inc({ provider, direction: "input" }, call.inputTokens);
      if (call.outputTokens > 0) tokens.inc({ provider, direction: "output" }, call.outputTokens);
      if (call.estimatedCostUsd > 0) listCost.inc(base, call.estimatedCostUsd);
      if (call.chargedUsd > 0) charged.inc({ provider }, call.chargedUsd);
    },
    attempt(attempt) {
      attempts.inc({ provider: attempt.provider, outcome: attempt.outcome });
      if (attempt.outcome !== "ok") opDuration.observe(genAiLabels(attempt, attempt.errorType ?? attempt.outcome), attempt.seconds);
    },
    completion(c) {
      const labels = genAiLabels(c, c.errorType);
      opDuration.observe(labels, c.seconds);
      if (c.inputTokens !== undefined) tokenUsage.observe({ ...labels, gen_ai_token_type: "input" }, c.inputTokens);
      if (c.outputTokens !== undefined) tokenUsage.observe({ ...labels, gen_ai_token_type: "output" }, c.outputTokens);
      if (c.firstChunkSeconds !== undefined) firstChunk.observe(labels, c.firstChunkSeconds);
      if (c.perChunkSeconds !== undefined) for (let i = 0; i < (c.laterChunks ?? 0); i++) perChunk.observe(labels, c.perChunkSeconds);
    },
    fallback(provider, reason, wasHidden) {
      fallbacks.inc({ provider, reason });
      if (wasHidden) hidden.inc({ provider, reason });
    },
    keyCooldown() {
      cooldowns.inc();
    },
    watchCircuits(read) {
      circuits.push(read);
    },
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
