import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-accesslog000000000000000000001";
const PROMPT = "the secret plan is in the attic";
let mock: MockOpenAI;
let gw: TestGateway;

const linesFor = (logs: string[], requestId: string) =>
  logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === "request" && entry.request_id === requestId);

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  gw = await startGateway({ ...openaiAt(mock.url, { models: [{ id: "gpt-4o", input_per_mtok: 2.5, output_per_mtok: 10 }] }), telemetry: { log_level: "info" } });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("access log", () => {
  test("one info line per answered request: ids, provider, model, key source, status, latency, tokens, cost; no key, no prompt", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: PROMPT }], byok_api_key: KEY }, { "x-request-id": "access-1" });
    expect(res.status).toBe(200);
    const lines = linesFor(gw.logs, "access-1");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", endpoint: "chat", account_id: "acc_default", team_id: null, provider: "openai", model: "gpt-4o", key_source: "request", status: 200, output_tokens: 7, cost_micros: 0, attempts: 1 });
    expect(lines[0]?.estimated_cost_micros).toBeGreaterThan(0);
    expect(lines[0]?.latency_ms).toBeGreaterThanOrEqual(0);
    const all = gw.logs.join("\n");
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(PROMPT);
  });

  test("failures and refusals have their line too, with the error code", async () => {
    mock.fail({ kind: "status", status: 500 });
    await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }], byok_api_key: KEY }, { "x-request-id": "access-502" });
    await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "x-request-id": "access-401", authorization: "Bearer kw_wrong_key_000000000000000000000" }, body: "{}" });
    expect(linesFor(gw.logs, "access-502")[0]).toMatchObject({ status: 502, code: "upstream_error", provider: "openai", attempts: 1 });
    const refused = linesFor(gw.logs, "access-401");
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 401, code: "invalid_api_key", account_id: null });
    expect(gw.logs.join("\n")).not.toContain("kw_wrong_key_000000000000000000000");
  });

  test("telemetry.access_log: false writes none", async () => {
    const quiet = await startGateway({ ...openaiAt(mock.url), telemetry: { access_log: false } });
    try {
      await quiet.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: KEY }, { "x-request-id": "access-off" });
      expect(linesFor(quiet.logs, "access-off")).toHaveLength(0);
    } finally {
      await quiet.stop();
    }
  });
});
