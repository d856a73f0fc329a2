// Starts what the telemetry settings ask for: OTLP traces, metrics and logs (each only when its export is configured,
// by the config or the OTEL_* variables), the resource they share, and the GenAI naming switch. Nothing configured:
// no SDK is loaded and the hot path pays for no-op spans only.
import type { TracerProvider } from "@opentelemetry/api";
import type { Logger, LogLevel } from "./logger.ts";
import { type OtlpMetrics, startOtlpMetrics } from "./otlp-metrics.ts";
import { type ConfiguredOtlp, otlpExportFrom } from "./otlp-settings.ts";
import { resourceAttributes } from "./resource.ts";
import { useSemconvSwitch } from "./semconv.ts";
import { startOtlpTracing, type Tracing, tracingFrom } from "./tracing.ts";
import { startOtlpLogs } from "./otlp-logs.ts";

export interface TelemetrySettings {
  serviceName?: string;
  otlp?: ConfiguredOtlp;
  logLevel: LogLevel;
  version: string;
  env: Record<string, string | undefined>;
  /** For tests: spans go here instead of the global or OTLP provider. */
  tracerProvider?: TracerProvider;
}

export interface Telemetry {
  tracing: Tracing;
  /** OTLP metrics, when metric export is configured. */
  metrics?: OtlpMetrics;
  /** The logger given, exporting its lines too when log export is configured. */
  logger: Logger;
  /** Flushes and stops every exporter. */
  shutdown(): Promise<void>;
}

export async function startTelemetry(settings: TelemetrySettings, logger: Logger): Promise<Telemetry> {
  useSemconvSwitch(settings.env);
  const exports = otlpExportFrom(settings.otlp, settings.env);
  for (const warning of exports.warnings) logger.warn("telemetry setting ignored", { reason: warning });
  const resource = resourceAttributes({ configuredName: settings.serviceName, version: settings.version, env: settings.env });
  const tracing = settings.tracerProvider ? tracingFrom(settings.tracerProvider) : exports.traces ? await startOtlpTracing(exports.traces, resource) : tracingFrom();
  const metrics = exports.metrics ? await startOtlpMetrics(exports.metrics, resource, exports.metricIntervalMs) : undefined;
  const logs = exports.logs ? await startOtlpLogs(exports.logs, resource) : undefined;
  const exporting = [exports.traces && "traces", exports.metrics && "metrics", exports.logs && "logs"].filter(Boolean);
  if (exporting.length > 0) logger.info("OTLP export", { signals: exporting, service_name: resource["service.name"] });
  return {
    tracing,
    metrics,
    logger: logs ? logs.wrap(logger, settings.logLevel) : logger,
    async shutdown() {
      await Promise.allSettled([tracing.shutdown(), metrics?.shutdown(), logs?.shutdown()]);
    },
  };
}
