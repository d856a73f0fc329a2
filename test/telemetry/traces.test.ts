import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SpanKind } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { startRuntime } from "../../src/runtime.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { useSemconvSwitch } from "../../src/telemetry/semconv.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-traces000000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  mock = new MockOpenAI().start();
  gw = await startGateway(openaiAt(mock.url));
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

async function spansFor(requestId: string): Promise<{ server: ReadableSpan; clients: ReadableSpan[] }> {
  for (let i = 0; i < 50; i++) {
    const spans = gw.spans.getFinishedSpans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER && s.attributes["keyway.request.id"] === requestId);
    if (server) {
      const clients = spans.filter((s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === server.spanContext().spanId);
      return { server, clients };
    }
    await Bun.sleep(20);
  }
  throw new Error(`no server span for ${requestId}`);
}

describe("traces", () => {
  test("a server span and a client span per attempt, with GenAI and keyway attributes", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: KEY }, { "x-request-id": "trace-1" });
    expect(res.status).toBe(200);
    const { server, clients } = await spansFor("trace-1");
    expect(server.name).toBe("POST /v1/chat/completions");
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "url.path": "/v1/chat/completions",
      "gen_ai.provider.name": "openai",
      "keyway.provider.used": "openai",
      "keyway.byok": true,
      "keyway.key.source": "request",
      "keyway.routing.strategy": "byok_preferred",
      "http.response.status_code": 200,
    });
    expect(clients).toHaveLength(1);
    const client = clients[0] as ReadableSpan;
    expect(client.name).toBe("chat gpt-4o");
    expect(client.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.response.finish_reasons": ["stop"],
      "server.address": "127.0.0.1",
      "keyway.provider.used": "openai",
      "keyway.byok": true,
      "keyway.attempt": 1,
    });
    expect(client.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(client.attributes["gen_ai.usage.output_tokens"]).toBe(7);
  });

  test("a stream's spans end when the stream ends; its usage is on the CLIENT span only (no double counting)", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "a b c" }], stream: true, byok_api_key: KEY }, { "x-request-id": "trace-stream" });
    await res.text();
    const { server, clients } = await spansFor("trace-stream");
    expect(server.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
    expect(clients[0]?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(clients[0]?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(clients[0]?.attributes["gen_ai.request.stream"]).toBe(true);
    expect(clients[0]?.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  test("a client's traceparent is the SERVER span's parent; the upstream gets the CLIENT span's", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "w3c" }], byok_api_key: KEY }, { "x-request-id": "trace-w3c", traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    const { server, clients } = await spansFor("trace-w3c");
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    const client = clients[0] as ReadableSpan;
    expect(mock.last().headers.traceparent).toBe(`00-${traceId}-${client.spanContext().spanId}-01`);
  });

  test("a malformed traceparent is ignored: a new root trace", async () => {
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "bad" }], byok_api_key: KEY }, { "x-request-id": "trace-bad", traceparent: "00-zz-nothex-01" });
    const { server } = await spansFor("trace-bad");
    expect(server.parentSpanContext).toBeUndefined();
    expect(mock.last().headers.traceparent).toMatch(new RegExp(`^00-${server.spanContext().traceId}-[0-9a-f]{16}-01$`));
  });

  test("GenAI names: the v1.36 gen_ai.system beside gen_ai.provider.name, unless OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental", async () => {
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "old" }], byok_api_key: KEY }, { "x-request-id": "trace-old-names" });
    expect((await spansFor("trace-old-names")).clients[0]?.attributes["gen_ai.system"]).toBe("openai");
    useSemconvSwitch({ OTEL_SEMCONV_STABILITY_OPT_IN: "http, gen_ai_latest_experimental" });
    try {
      await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "new" }], byok_api_key: KEY }, { "x-request-id": "trace-new-names" });
      const client = (await spansFor("trace-new-names")).clients[0];
      expect(client?.attributes["gen_ai.system"]).toBeUndefined();
      expect(client?.attributes["gen_ai.provider.name"]).toBe("openai");
    } finally {
      useSemconvSwitch({});
    }
  });

  test("a refused request (no keyway key) still has its SERVER span, with error.type", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "x-request-id": "trace-refused" }, body: "{}" });
    expect(res.status).toBe(401);
    const { server, clients } = await spansFor("trace-refused");
    expect(server.name).toBe("POST /v1/chat/completions");
    expect(server.attributes).toMatchObject({ "http.response.status_code": 401, "error.type": "invalid_api_key" });
    expect(clients).toHaveLength(0);
  });

  test("a failed attempt records error.type on its span", async () => {
    mock.fail({ kind: "status", status: 500 });
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }], byok_api_key: KEY }, { "x-request-id": "trace-fail" });
    const { server, clients } = await spansFor("trace-fail");
    expect(server.attributes["error.type"]).toBe("upstream_error");
    expect(clients[0]?.attributes["error.type"]).toBe("500");
  });

  test("with telemetry.otlp.endpoint set, spans are exported over OTLP/HTTP", async () => {
    const received: { path: string; body: string }[] = [];
    const collector = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        received.push({ path: new URL(req.url).pathname, body: await req.text() });
        return Response.json({});
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "keyway-otlp-"));
    try {
      const { config } = loadConfigFrom(
        {
          ...openaiAt(mock.url),
          server: { port: 0 },
          storage: { path: join(dir, "k.db") },
          security: { admin_key: "kw_otlp_admin_key_0001", master_key_file: join(dir, "master.key") },
          telemetry: { service_name: "keyway-otlp-test", otlp: { endpoint: `http://127.0.0.1:${collector.port}` } },
        },
        "t",
        {},
        knownNames,
      );
      const runtime = await startRuntime({ config, source: "built-in defaults", logger: createLogger("error", () => {}) });
      await fetch(`${runtime.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer kw_otlp_admin_key_0001" },
        body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: KEY }),
      });
      await runtime.stop();
      expect(received.map((r) => r.path)).toContain("/v1/traces");
      const exported = received.map((r) => r.body).join("");
      expect(exported).toContain("keyway-otlp-test");
      expect(exported).toContain("chat gpt-4o");
      expect(exported).toContain("POST /v1/chat/completions");
      expect(exported).not.toContain(KEY);
    } finally {
      collector.stop(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
