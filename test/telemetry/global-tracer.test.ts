// With no tracer provider given and no OTLP export, keyway takes OpenTelemetry's global one. Until a provider is
// registered there, a call makes no span of its own; a provider registered later (by a plugin, or a program embedding
// keyway) records every call from then on, its SERVER span the parent of its upstream attempt's CLIENT span.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SpanKind, trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startServerSpan } from "../../src/telemetry/server-span.ts";
import { QUIET_SPAN, tracingFrom } from "../../src/telemetry/tracing.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, type PlainRuntime, startPlainRuntime } from "../helpers/gateway.ts";

const KEY = "sk-proj-globaltracer000000000000000001";
let mock: MockOpenAI;
let keyway: PlainRuntime;

beforeAll(async () => {
  trace.disable();
  mock = new MockOpenAI({ keys: [KEY] }).start();
  keyway = await startPlainRuntime(openaiAt(mock.url).providers as Record<string, unknown>);
});
afterAll(async () => {
  // The global provider is the whole test process's: later files expect none.
  trace.disable();
  await keyway.stop();
  await mock.stop();
});

const chat = (requestId: string) =>
  fetch(`${keyway.runtime.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${keyway.adminKey}`, "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: KEY }),
  });

async function serverSpanOf(exporter: InMemorySpanExporter, requestId: string): Promise<ReadableSpan | undefined> {
  for (let i = 0; i < 50; i++) {
    const found = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.attributes["keyway.request.id"] === requestId);
    if (found) return found;
    await Bun.sleep(20);
  }
  return undefined;
}

const request = (headers: Record<string, string> = {}) => ({ method: "POST", route: "/v1/chat/completions", url: "http://127.0.0.1/v1/chat/completions", headers: new Headers(headers), requestId: "r1" });

describe("the global tracer provider", () => {
  test("with none registered, a call's span is the shared quiet one unless its client sent a trace context", () => {
    const tracing = tracingFrom();
    expect(tracing.records()).toBe(false);
    expect(startServerSpan(tracing, request())).toBe(QUIET_SPAN);
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const carried = startServerSpan(tracing, request({ traceparent: `00-${traceId}-b7ad6b7169203331-01` }));
    expect(carried).not.toBe(QUIET_SPAN);
    expect(carried.isRecording()).toBe(false);
    expect(carried.spanContext().traceId).toBe(traceId);
  });

  test("a provider registered after the gateway started records the calls made from then on", async () => {
    const exporter = new InMemorySpanExporter();
    const before = await chat("global-before");
    expect(before.status).toBe(200);
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const after = await chat("global-after");
    expect(after.status).toBe(200);
    const server = await serverSpanOf(exporter, "global-after");
    expect(server?.name).toBe("POST /v1/chat/completions");
    const client = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === server?.spanContext().spanId);
    expect(client?.name).toBe("chat gpt-4o");
    expect(client?.spanContext().traceId).toBe(server?.spanContext().traceId as string);
    expect(mock.last().headers.traceparent).toContain(client?.spanContext().spanId as string);
    expect(exporter.getFinishedSpans().some((s) => s.attributes["keyway.request.id"] === "global-before")).toBe(false);
  });
});
