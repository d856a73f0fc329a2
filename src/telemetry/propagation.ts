// W3C trace context across keyway: read from the client's `traceparent`/`tracestate` (the server span is its child)
// and written on each upstream request (the attempt's span is the parent upstream). Without the headers, nothing runs.
import { type Context, ROOT_CONTEXT, type Span, isSpanContextValid, trace } from "@opentelemetry/api";
import type { W3CTraceContextPropagator } from "@opentelemetry/core";
import { QUIET_SPAN } from "./tracing.ts";

let loaded: W3CTraceContextPropagator | undefined;

/**
 * OpenTelemetry's W3C propagator, loaded the first time a trace context is read or written: a gateway that is never
 * part of a trace does not hold the module (about 10 MB) in memory.
 */
function propagator(): W3CTraceContextPropagator {
  if (!loaded) {
    const core = require("@opentelemetry/core") as typeof import("@opentelemetry/core");
    loaded = new core.W3CTraceContextPropagator();
  }
  return loaded;
}

const headersGetter = {
  get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
  keys: (carrier: Headers) => [...carrier.keys()],
};

const recordSetter = {
  set: (carrier: Record<string, string>, key: string, value: string) => {
    carrier[key] = value;
  },
};

/** The context a client's request carries (ROOT_CONTEXT when it carries no valid `traceparent`). */
export function incomingContext(headers: Headers): Context {
  if (!headers.has("traceparent")) return ROOT_CONTEXT;
  return propagator().extract(ROOT_CONTEXT, headers, headersGetter);
}

/** `traceparent` (and `tracestate`) naming `span` as the parent; undefined when the span has no valid context. */
export function outgoingTraceHeaders(span: Span): Record<string, string> | undefined {
  if (span === QUIET_SPAN || !isSpanContextValid(span.spanContext())) return undefined;
  const headers: Record<string, string> = {};
  propagator().inject(trace.setSpan(ROOT_CONTEXT, span), headers, recordSetter);
  return headers;
}
