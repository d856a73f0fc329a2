// Tracing set-up: the OTel SDK starts only when trace export is configured (otlp-settings.ts); code takes tracers lazily.
import { type Tracer, type TracerProvider, trace } from "@opentelemetry/api";
import type { SignalTarget } from "./otlp-settings.ts";

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

/** Starts the SDK with a batching OTLP/HTTP (JSON) exporter. Loaded only when trace export is configured. */
export async function startOtlpTracing(target: SignalTarget, resource: Record<string, string>): Promise<Tracing> {
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = new OTLPTraceExporter({ url: target.url, headers: target.headers });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer(TRACER_NAME);
  return {
    tracer: () => tracer,
    shutdown: () => provider.shutdown(),
  };
}
