// Tracing set-up: the OTel SDK starts only when trace export is configured (otlp-settings.ts); code takes tracers lazily.
import { INVALID_SPAN_CONTEXT, ProxyTracerProvider, type Span, type Tracer, type TracerProvider, trace } from "@opentelemetry/api";
import type { SignalTarget } from "./otlp-settings.ts";

export const TRACER_NAME = "keyway";

export interface Tracing {
  tracer(): Tracer;
  /**
   * Whether a span started now may record: false only while the tracer is the global one and no provider is registered
   * behind it (a call then makes no span of its own unless its client sent a trace context; see QUIET_SPAN).
   */
  records(): boolean;
  shutdown(): Promise<void>;
}

/**
 * The span of a call that nothing records and no client trace context reaches: no trace, no attributes, every method
 * a no-op, so one is shared by every such call instead of one made by the API's no-op tracer for each.
 */
export const QUIET_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Whether `provider`'s tracers may record: a global proxy only once a provider is registered behind it (and from then on). */
function recordsOnceRegistered(provider: TracerProvider): () => boolean {
  if (!(provider instanceof ProxyTracerProvider)) return () => true;
  let registered = false;
  return () => registered || (registered = provider.getDelegateTracer(TRACER_NAME) !== undefined);
}

/**
 * The tracer of `provider`, or of the global provider: taken once (the global one is a proxy that follows a provider
 * registered later), so a call does not make a tracer of its own.
 */
export function tracingFrom(provider?: TracerProvider): Tracing {
  const from = provider ?? trace.getTracerProvider();
  const tracer = from.getTracer(TRACER_NAME);
  return {
    tracer: () => tracer,
    records: recordsOnceRegistered(from),
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
    records: () => true,
    shutdown: () => provider.shutdown(),
  };
}
