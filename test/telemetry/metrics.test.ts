import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-metrics0000000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  gw = await startGateway({ ...openaiAt(mock.url, { models: [{ id: "gpt-4o", input_per_mtok: 2.5, output_per_mtok: 10 }] }), telemetry: { prometheus: true } });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("Prometheus metrics", () => {
  test("GET /metrics counts requests, tokens and list cost by provider, with no key in sight", async () => {
    for (let i = 0; i < 3; i++) await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "count me" }], byok_api_key: KEY });
    mock.fail({ kind: "status", status: 500 });
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "fail" }], byok_api_key: KEY });
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('keyway_requests_total{endpoint="chat",provider="openai",key_source="request",status="200"} 3');
    expect(text).toContain('keyway_requests_total{endpoint="chat",provider="openai",key_source="request",status="502"} 1');
    expect(text).toMatch(/keyway_tokens_total\{provider="openai",direction="output"\} 21/);
    expect(text).toMatch(/keyway_estimated_cost_usd_total\{endpoint="chat",provider="openai",key_source="request"\} 0\.000\d+/);
    expect(text).toContain("keyway_request_duration_seconds_bucket");
    expect(text).not.toContain(KEY);
  });

  test("refusals (401, 400) are counted by code, beside the requests", async () => {
    await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: "not a list" });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toContain('keyway_refusals_total{endpoint="chat",code="invalid_api_key",status="401"} 1');
    expect(text).toContain('keyway_refusals_total{endpoint="chat",code="invalid_request",status="400"} 1');
    expect(text).toContain('keyway_requests_total{endpoint="chat",provider="none",key_source="none",status="401"} 1');
    expect(text).toContain('keyway_refusals_total{endpoint="chat",code="upstream_error",status="502"} 1');
  });

  test("GenAI client series with bounded model labels; attempts; the circuit of each provider", async () => {
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "a b" }], stream: true, byok_api_key: KEY }).then((r) => r.text());
    await gw.post("/v1/chat/completions", { model: "openai/house-finetune-7", messages: [{ role: "user", content: "x" }], byok_api_key: KEY });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const labels = 'gen_ai_operation_name="chat",gen_ai_provider_name="openai",keyway_provider="openai",gen_ai_request_model="gpt-4o",gen_ai_response_model="gpt-4o",error_type=""';
    expect(text).toContain(`gen_ai_client_operation_duration_seconds_count{${labels}}`);
    expect(text).toContain(`gen_ai_client_token_usage_count{${labels},gen_ai_token_type="output"}`);
    expect(text).toContain(`gen_ai_client_operation_time_to_first_chunk_seconds_count{${labels}} 1`);
    expect(text).toMatch(/gen_ai_client_operation_time_per_output_chunk_seconds_count\{[^}]*\} [1-9]/);
    // A model string outside the catalogue is `other`, never itself.
    expect(text).toContain('gen_ai_request_model="other"');
    expect(text).not.toContain("house-finetune");
    expect(text).toMatch(/keyway_attempts_total\{provider="openai",outcome="ok"\} \d+/);
    expect(text).toContain('keyway_attempts_total{provider="openai",outcome="server_error"} 1');
    expect(text).toContain('keyway_circuit_open{provider="openai"} 0');
  });

  test("a failed attempt a retry hid is counted, though the request succeeded", async () => {
    const retrying = await startGateway({ ...openaiAt(mock.url), routing: { retries: 1 }, telemetry: { prometheus: true } });
    try {
      mock.fail({ kind: "status", status: 500 });
      const res = await retrying.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "hide" }], byok_api_key: KEY });
      expect(res.status).toBe(200);
      const text = await (await fetch(`${retrying.url}/metrics`)).text();
      expect(text).toContain('keyway_hidden_failures_total{provider="openai",reason="server_error"} 1');
      expect(text).toContain('keyway_fallbacks_total{provider="openai",reason="server_error"} 1');
      expect(text).toContain('keyway_requests_total{endpoint="chat",provider="openai",key_source="request",status="200"} 1');
    } finally {
      await retrying.stop();
    }
  });

  test("off by default: /metrics says how to turn it on", async () => {
    const plain = await startGateway(openaiAt(mock.url));
    try {
      const res = await fetch(`${plain.url}/metrics`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toContain("telemetry.prometheus");
    } finally {
      await plain.stop();
    }
  });
});
