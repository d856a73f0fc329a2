// The SERVER span of one HTTP request to a data-plane route: named by the route (`POST /v1/chat/completions`, never
// the model the client sent), the child of the client's trace context, with the HTTP server attributes. Attributes
// are only computed when the span records (no tracing configured: the shared QUIET_SPAN, or a no-op span carrying the
// client's trace context when it sent one).
import { type Span, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ClientAddress } from "../core/call.ts";
import { ATTR } from "./attributes.ts";
import { incomingContext } from "./propagation.ts";
import { QUIET_SPAN, type Tracing } from "./tracing.ts";

export interface ServerRequest {
  method: string;
  /** The route template, as the router matched it. */
  route: string;
  /** The full request URL. */
  url: string;
  headers: Headers;
  requestId: string;
  /** Where the caller's address is read (only when the span records). */
  peer?: ClientAddress;
}

/** A request gets the shared QUIET_SPAN when nothing records spans and its client sent no trace context. */
export function quietRequest(tracing: Pick<Tracing, "records">, headers: Headers): boolean {
  return !tracing.records() && !headers.has("traceparent");
}

export function startServerSpan(tracing: Pick<Tracing, "tracer" | "records">, request: ServerRequest): Span {
  if (quietRequest(tracing, request.headers)) return QUIET_SPAN;
  const span = tracing.tracer().startSpan(`${request.method} ${request.route}`, { kind: SpanKind.SERVER }, incomingContext(request.headers));
  if (!span.isRecording()) return span;
  const url = URL.canParse(request.url) ? new URL(request.url) : undefined;
  span.setAttributes({
    [ATTR.httpMethod]: request.method,
    [ATTR.httpRoute]: request.route,
    [ATTR.urlPath]: url?.pathname ?? request.route,
    [ATTR.urlScheme]: url?.protocol.replace(":", "") ?? "http",
    [ATTR.requestId]: request.requestId,
    ...(url?.hostname ? { [ATTR.serverAddress]: url.hostname } : {}),
    ...(url?.port ? { [ATTR.serverPort]: Number(url.port) } : {}),
    ...(request.peer?.address ? { [ATTR.clientAddress]: request.peer.address } : {}),
  });
  return span;
}

/** Ends a server span with the answer's status; an error answer sets `error.type` (keyway's error code). */
export function endServerSpan(span: Span, status: number, errorType?: string): void {
  if (span.isRecording()) {
    span.setAttribute(ATTR.httpStatus, status);
    if (errorType) {
      span.setAttribute(ATTR.errorType, errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    } else if (status >= 500) {
      span.setAttribute(ATTR.errorType, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}
