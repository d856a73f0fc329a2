// Observability from outside: `keyway serve` started as its own process, configured only by OTEL_* variables,
// exports traces, metrics and logs to a real OTLP/HTTP receiver; W3C trace context crosses keyway both ways; and no
// key (the request's, a stored one, a keyway key) appears in anything exported.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startSourceServer, writeBinaryConfig } from "../helpers/binary.ts";
import { OtlpReceiver } from "../helpers/otlp-receiver.ts";

const ADMIN = "kw_observability_admin_key_000000001";
const REQUEST_KEY = "sk-proj-observability-request-key-000001";
const STORED_KEY = "sk-proj-observability-stored-key-0000001";
const CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";
const SPAN_KIND = { server: 2, client: 3 };

let receiver: OtlpReceiver;
let mock: MockOpenAI;
let dir: string;
let proc: ReturnType<typeof Bun.spawn>;
let url: string;
let createdKey: string;

const chat = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  receiver = new OtlpReceiver().start();
  mock = new MockOpenAI({ keys: [REQUEST_KEY, STORED_KEY] }).start();
  dir = mkdtempSync(join(tmpdir(), "keyway-observability-"));
  const config = writeBinaryConfig(dir, ADMIN, [`providers: { openai: { adapter: openai, base_url: "${mock.url}", timeout_ms: 2000 } }`]);
  ({ proc, url } = await startSourceServer(config, dir, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_HEADERS: "x-collector-token=tok%2Fen-1",
    OTEL_SERVICE_NAME: "gateway-under-test",
    OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=e2e,team=platform",
    OTEL_METRIC_EXPORT_INTERVAL: "200",
    OTEL_BSP_SCHEDULE_DELAY: "100",
    OTEL_BLRP_SCHEDULE_DELAY: "100",
    OTEL_SEMCONV_STABILITY_OPT_IN: "",
  }));
  const stored = await fetch(`${url}/v1/providers/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify({ providers: [{ name: "openai", api_key: STORED_KEY }] }),
  });
  expect(stored.status).toBe(201);
  const created = await fetch(`${url}/v1/api-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "observer", role: "developer" }),
  });
  createdKey = ((await created.json()) as { key: string }).key;
});

afterAll(async () => {
  proc?.kill();
  await proc?.exited;
  await mock.stop();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("OTLP export configured by OTEL_* variables", () => {
  test("a client's traceparent: the SERVER span is its child, the CLIENT span is the parent upstream", async () => {
    const res = await chat(
      ADMIN,
      { model: "openai/gpt-4o", messages: [{ role: "user", content: "trace me" }], temperature: 0.3, max_tokens: 50, top_p: 0.9, seed: 7, byok_api_key: REQUEST_KEY },
      { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, tracestate: "vendor=abc", "x-request-id": "obs-trace-1" },
    );
    expect(res.status).toBe(200);
    const answerId = ((await res.json()) as { id: string }).id;
    await receiver.waitFor("server span", () => receiver.spans().some((s) => s.attributes["keyway.request.id"] === "obs-trace-1"));
    const spans = receiver.spans().filter((s) => s.traceId === CLIENT_TRACE);
    const server = spans.find((s) => s.kind === SPAN_KIND.server);
    const client = spans.find((s) => s.kind === SPAN_KIND.client);
    if (!server || !client) throw new Error(`spans missing: ${JSON.stringify(spans.map((s) => [s.name, s.kind]))}`);
    expect(server.name).toBe("POST /v1/chat/completions");
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    expect(server.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "url.path": "/v1/chat/completions",
      "http.response.status_code": 200,
      "server.address": "127.0.0.1",
      "client.address": "127.0.0.1",
    });
    expect(server.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(server.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.name).toBe("chat gpt-4o");
    expect(client.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.system": "openai",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.request.temperature": 0.3,
      "gen_ai.request.max_tokens": 50,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.seed": 7,
      "gen_ai.request.stream": false,
      "gen_ai.response.id": answerId,
      "gen_ai.response.model": "gpt-4o-2024-08-06",
    });
    expect(client.attributes["gen_ai.usage.output_tokens"]).toBe(7);
    expect(server.resource).toMatchObject({
      "service.name": "gateway-under-test",
      "service.version": VERSION,
      "deployment.environment": "e2e",
      team: "platform",
    });
    expect(String(server.resource["service.instance.id"])).toMatch(/^[0-9a-f-]{36}$/);
    // The upstream got the attempt's span as its parent, in the client's trace, with the client's tracestate.
    const upstream = mock.requests.find((r) => r.body?.seed === 7);
    expect(upstream?.headers.traceparent).toBe(`00-${CLIENT_TRACE}-${client.spanId}-01`);
    expect(upstream?.headers.tracestate).toBe("vendor=abc");
    expect(receiver.received.find((r) => r.path === "/v1/traces")?.headers["x-collector-token"]).toBe("tok/en-1");
  });

  test("a stream's CLIENT span has gen_ai.request.stream and the time to its first chunk", async () => {
    const res = await chat(ADMIN, { model: "openai/gpt-4o", messages: [{ role: "user", content: "a b c" }], stream: true, byok_api_key: REQUEST_KEY }, { "x-request-id": "obs-stream" });
    await res.text();
    await receiver.waitFor("stream spans", () => receiver.spans().some((s) => s.attributes["keyway.request.id"] === "obs-stream"));
    const server = receiver.spans().find((s) => s.attributes["keyway.request.id"] === "obs-stream");
    const client = receiver.spans().find((s) => s.parentSpanId === server?.spanId);
    expect(client?.attributes["gen_ai.request.stream"]).toBe(true);
    expect(client?.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
    expect(typeof client?.attributes["gen_ai.response.id"]).toBe("string");
  });

  test("refusals get a SERVER span with error.type: a wrong keyway key (401), an invalid body (400)", async () => {
    expect((await chat("kw_not_a_real_key_0000000000000000000000000", { model: "openai/gpt-4o", messages: [] }, { "x-request-id": "obs-401" })).status).toBe(401);
    expect((await chat(ADMIN, { model: "openai/gpt-4o", messages: "not a list" }, { "x-request-id": "obs-400" })).status).toBe(400);
    await receiver.waitFor("refusal spans", () => ["obs-401", "obs-400"].every((id) => receiver.spans().some((s) => s.attributes["keyway.request.id"] === id)));
    const refused = (id: string) => receiver.spans().find((s) => s.attributes["keyway.request.id"] === id);
    expect(refused("obs-401")).toMatchObject({ name: "POST /v1/chat/completions", kind: SPAN_KIND.server, attributes: { "http.response.status_code": 401 } });
    expect(refused("obs-401")?.attributes["error.type"]).toBe("invalid_api_key");
    expect(refused("obs-400")?.attributes).toMatchObject({ "http.response.status_code": 400, "error.type": "invalid_request" });
  });

  test("metrics: the GenAI client metrics with bounded labels, and keyway's own", async () => {
    const stored = await chat(createdKey, { model: "openai/gpt-4o", messages: [{ role: "user", content: "stored key" }] }, { "x-use-byok": "true" });
    expect(stored.status).toBe(200);
    const wanted = ["gen_ai.client.operation.duration", "gen_ai.client.token.usage", "gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.operation.time_per_output_chunk", "keyway.requests", "keyway.refusals", "keyway.attempts"];
    // Every name may be there already from an export made before the test above refused its bad body: wait for the
    // points asserted below, not only the names.
    await receiver.waitFor("metrics", () => {
      const seen = receiver.metrics();
      return wanted.every((name) => seen.has(name)) && (seen.get("keyway.refusals") ?? []).some((p) => p["error.type"] === "invalid_request");
    });
    const metrics = receiver.metrics();
    const duration = metrics.get("gen_ai.client.operation.duration") ?? [];
    expect(duration.some((p) => p["gen_ai.provider.name"] === "openai" && p["gen_ai.operation.name"] === "chat" && p["gen_ai.response.model"] === "gpt-4o")).toBe(true);
    expect(metrics.get("gen_ai.client.token.usage")?.map((p) => p["gen_ai.token.type"])).toEqual(expect.arrayContaining(["input", "output"]));
    expect(metrics.get("keyway.refusals")?.map((p) => p["error.type"])).toEqual(expect.arrayContaining(["invalid_request"]));
    // No label carries a raw model string: only catalogue ids or `other`.
    for (const points of metrics.values()) for (const p of points) if (p["gen_ai.response.model"] !== undefined) expect(["gpt-4o", "other"]).toContain(p["gen_ai.response.model"] as string);
  });

  test("logs: one access-log record per request, exported over OTLP", async () => {
    await receiver.waitFor("access log records", () => receiver.logs().some((l) => l.body === "request" && l.attributes.request_id === "obs-trace-1"));
    const line = receiver.logs().find((l) => l.body === "request" && l.attributes.request_id === "obs-trace-1");
    expect(line?.severityText).toBe("INFO");
    expect(line?.attributes).toMatchObject({ endpoint: "chat", provider: "openai", model: "gpt-4o", key_source: "request", status: 200, account_id: "acc_default", output_tokens: 7, trace_id: CLIENT_TRACE });
    expect(line?.resource["service.name"]).toBe("gateway-under-test");
    const refused = receiver.logs().find((l) => l.attributes.request_id === "obs-401");
    expect(refused?.attributes).toMatchObject({ status: 401 });
  });

  test("no key appears in any exported payload: the request's, the stored one, keyway's", async () => {
    await receiver.waitFor("logs of the stored-key call", () => receiver.logs().some((l) => l.attributes.key_source === "stored"));
    const everything = receiver.received.map((r) => r.body).join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    for (const key of [REQUEST_KEY, STORED_KEY, ADMIN, createdKey]) expect(everything).not.toContain(key);
  });
});
