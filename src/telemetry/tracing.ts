// Tracing set-up: the OTel SDK starts only when trace export is configured (otlp-settings.ts); code takes tracers lazily.
import { type Tracer, type TracerProvider, trace } from "@opentelemetry/api";
import type { SignalTarget } from "./otlp-settings.ts";

export const TRACER_NAME = "keyway";

export interface Tracing {
  tracer(): Tracer;
  shutdown(): Promise<void>;
}

/**
 * The tracer of `provider`, or of the global provider: taken once (the global one is a proxy that follows a provider
 * registered later), so a call does not make a tracer of its own.
 */
export function tracingFrom(provider?: TracerProvider): Tracing {
  const tracer = (provider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  return {
    tracer: () => tracer,
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
