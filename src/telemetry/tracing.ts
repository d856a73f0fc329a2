// Tracing set-up: the OTel SDK starts only when OTLP export is configured; code takes tracers lazily.
import { type Tracer, type TracerProvider, trace } from "@opentelemetry/api";

export const TRACER_NAME = "keyway";

export interface Tracing {
  tracer(): Tracer;
  shutdown(): Promise<void>;
}

/** Tracers come from `provider`, or from the global provider at the time of each call. */
export function tracingFrom(provider?: TracerProvider): Tracing {
  return {
    tracer: () => (provider ?? trace.getTracerProvider()).getTracer(TRACER_NAME),
    shutdown: async () => {},
  };
}

export interface OtlpSettings {
  endpoint: string;
  headers?: Record<string, string>;
  serviceName: string;
}

/** Starts the SDK with an OTLP/HTTP exporter. Loaded only when export is configured. */
export async function startOtlpTracing(settings: OtlpSettings): Promise<Tracing> {
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = new OTLPTraceExporter({
    url: `${settings.endpoint.replace(/\/$/, "")}/v1/traces`,
    headers: settings.headers,
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracer: () => provider.getTracer(TRACER_NAME),
    shutdown: () => provider.shutdown(),
  };
}
