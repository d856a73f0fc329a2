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
    expect(server.name).toBe("chat openai/gpt-4o");
    expect(server.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
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

  test("a stream's spans end when the stream ends, with the usage read from it", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "a b c" }], stream: true, byok_api_key: KEY }, { "x-request-id": "trace-stream" });
    await res.text();
    const { server, clients } = await spansFor("trace-stream");
    expect(server.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(clients[0]?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
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
      expect(exported).not.toContain(KEY);
    } finally {
      collector.stop(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
