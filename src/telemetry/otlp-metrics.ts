// Metrics over OTLP (when metric export is configured): the GenAI client metrics of the semantic conventions and
// keyway's own, as OTel instruments on a MeterProvider that pushes every OTEL_METRIC_EXPORT_INTERVAL. Loaded only then.
import type { Attributes } from "@opentelemetry/api";
import { ATTR } from "./attributes.ts";
import { BUCKETS, type CallObserver, type GenAiLabels, METRIC } from "./metric-types.ts";
import { otlpJsonMetricExporter } from "./otlp-metric-exporter.ts";
import type { SignalTarget } from "./otlp-settings.ts";
import { withPreviousNames } from "./semconv.ts";

export interface OtlpMetrics extends CallObserver {
  shutdown(): Promise<void>;
}

function genAiAttributes(l: GenAiLabels, errorType?: string): Attributes {
  return withPreviousNames({
    [ATTR.operationName]: l.operation,
    [ATTR.providerName]: l.system,
    [ATTR.providerUsed]: l.provider,
    [ATTR.requestModel]: l.requestModel,
    ...(l.responseModel ? { [ATTR.responseModel]: l.responseModel } : {}),
    ...(l.serverAddress ? { [ATTR.serverAddress]: l.serverAddress } : {}),
    ...(l.serverPort ? { [ATTR.serverPort]: l.serverPort } : {}),
    ...(errorType ? { [ATTR.errorType]: errorType } : {}),
  });
}

export async function startOtlpMetrics(target: SignalTarget, resource: Record<string, string>, intervalMs: number): Promise<OtlpMetrics> {
  const [{ MeterProvider, PeriodicExportingMetricReader }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-metrics"),
    import("@opentelemetry/resources"),
  ]);
  const reader = new PeriodicExportingMetricReader({ exporter: await otlpJsonMetricExporter(target), exportIntervalMillis: intervalMs, exportTimeoutMillis: Math.min(intervalMs, 30_000) });
  const provider = new MeterProvider({ resource: resourceFromAttributes(resource), readers: [reader] });
  const meter = provider.getMeter("keyway");
  const histogram = (name: string, unit: string, description: string, boundaries: readonly number[]) =>
    meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: [...boundaries] } });
  const opDuration = histogram(METRIC.operationDuration, "s", "GenAI operation duration (each upstream attempt)", BUCKETS.durationSeconds);
  const tokenUsage = histogram(METRIC.tokenUsage, "{token}", "Tokens used per GenAI operation", BUCKETS.tokens);
  const firstChunk = histogram(METRIC.timeToFirstChunk, "s", "Time from the request to the first chunk of a stream", BUCKETS.durationSeconds);
  const perChunk = histogram(METRIC.timePerOutputChunk, "s", "Time between output chunks after the first", BUCKETS.chunkSeconds);
  const requests = meter.createCounter("keyway.requests", { unit: "{request}", description: "Inference requests, by outcome (refusals included)" });
  const refusals = meter.createCounter("keyway.refusals", { unit: "{request}", description: "Error answers, by keyway error code" });
  const attempts = meter.createCounter("keyway.attempts", { unit: "{attempt}", description: "Upstream attempts, by outcome" });
  const fallbacks = meter.createCounter("keyway.fallbacks", { unit: "{attempt}", description: "Failed attempts after which keyway tried again, by reason" });
  const hidden = meter.createCounter("keyway.hidden_failures", { unit: "{attempt}", description: "Failed attempts of requests that still succeeded" });
  const cooldowns = meter.createCounter("keyway.key.cooldowns", { unit: "{key}", description: "Stored keys set to cool down after a rate limit" });
  const circuits: (() => Iterable<readonly [string, boolean]>)[] = [];
  meter.createObservableGauge("keyway.circuit.open", { description: "1 while a provider's circuit breaker is open" }).addCallback((result) => {
    for (const read of circuits) for (const [provider, open] of read()) result.observe(open ? 1 : 0, { [ATTR.providerUsed]: provider });
  });
  return {
    record(call) {
      const attributes = { "keyway.endpoint": call.endpoint, [ATTR.providerUsed]: call.provider ?? "none", [ATTR.keySource]: call.keySource ?? "none", [ATTR.httpStatus]: call.status };
      requests.add(1, attributes);
      if (call.errorCode) refusals.add(1, { "keyway.endpoint": call.endpoint, [ATTR.errorType]: call.errorCode, [ATTR.httpStatus]: call.status });
    },
    attempt(attempt) {
      attempts.add(1, { [ATTR.providerUsed]: attempt.provider, "keyway.attempt.outcome": attempt.outcome });
      if (attempt.outcome !== "ok") opDuration.record(attempt.seconds, genAiAttributes(attempt, attempt.errorType ?? attempt.outcome));
    },
    completion(c) {
      const attributes = genAiAttributes(c, c.errorType);
      opDuration.record(c.seconds, attributes);
      if (c.inputTokens !== undefined) tokenUsage.record(c.inputTokens, { ...attributes, [ATTR.tokenType]: "input" });
      if (c.outputTokens !== undefined) tokenUsage.record(c.outputTokens, { ...attributes, [ATTR.tokenType]: "output" });
      if (c.firstChunkSeconds !== undefined) firstChunk.record(c.firstChunkSeconds, attributes);
      if (c.perChunkSeconds !== undefined) for (let i = 0; i < (c.laterChunks ?? 0); i++) perChunk.record(c.perChunkSeconds, attributes);
    },
    fallback(provider, reason, wasHidden) {
      fallbacks.add(1, { [ATTR.providerUsed]: provider, [ATTR.fallbackReason]: reason });
      if (wasHidden) hidden.add(1, { [ATTR.providerUsed]: provider, [ATTR.fallbackReason]: reason });
    },
    keyCooldown() {
      cooldowns.add(1);
    },
    watchCircuits(read) {
      circuits.push(read);
    },
    shutdown: () => provider.shutdown(),
  };
}
