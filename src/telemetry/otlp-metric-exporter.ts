// Pushes collected metrics to an OTLP/HTTP endpoint as JSON (the OTel JS serializer; fetch sends them), cumulative.
import type { ExportResult } from "@opentelemetry/core";
import type { PushMetricExporter, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { SignalTarget } from "./otlp-settings.ts";

const EXPORT_TIMEOUT_MS = 10_000;

export async function otlpJsonMetricExporter(target: SignalTarget): Promise<PushMetricExporter> {
  const [{ JsonMetricsSerializer }, { ExportResultCode }] = await Promise.all([import("@opentelemetry/otlp-transformer"), import("@opentelemetry/core")]);
  const pending = new Set<Promise<unknown>>();
  const send = async (metrics: ResourceMetrics): Promise<ExportResult> => {
    const body = JsonMetricsSerializer.serializeRequest(metrics);
    if (!body) return { code: ExportResultCode.FAILED, error: new Error("metrics could not be serialized") };
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: { ...target.headers, "content-type": "application/json" },
        body: body as unknown as BodyInit,
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error(`OTLP metrics export answered ${response.status}`) };
    } catch (error) {
      return { code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) };
    }
  };
  return {
    export(metrics, done) {
      const sending = send(metrics).then(done);
      pending.add(sending);
      void sending.finally(() => pending.delete(sending));
    },
    async forceFlush() {
      await Promise.all(pending);
    },
    async shutdown() {
      await Promise.all(pending);
    },
  };
}
