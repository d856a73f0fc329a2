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
