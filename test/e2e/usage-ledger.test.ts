// The usage ledger over real HTTP: an answered call is in its hourly rollup as soon as the answer is received, and
// the runtime's retention job removes raw rows past `usage.retention_days` at start, keeping their rollups.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { LATENCY_BUCKETS, latencyBucket } from "../../src/store/usage-rollup.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-ledger00000000000000000abcd";
const HOUR = 3_600_000;
let mock: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  gw = await startGateway({ ...openaiAt(mock.url), usage: { retention_days: 2 } });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

function query<T>(sql: string): T[] {
  const db = new Database(gw.dbPath);
  try {
    return db.query(sql).all() as T[];
  } finally {
    db.close();
  }
}

interface RollupRow { hour: number; team_id: string; project_tag: string; provider: string; model: string; key_source: string; requests: number; errors: number; input_tokens: number; output_tokens: number; cost_micros: number; latency_ms_sum: number; [bucket: `latency_bucket_${number}`]: number }

describe("usage ledger", () => {
  test("an answered call is in its hour's rollup when the answer arrives", async () => {
    const before = Date.now();
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "count me" }], byok_api_key: KEY });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const [raw] = query<{ created_at: number; latency_ms: number }>("SELECT * FROM usage_records");
    const rollups = query<RollupRow>("SELECT * FROM usage_rollups");
    expect(rollups).toHaveLength(1);
    const [rollup] = rollups;
    expect(rollup).toMatchObject({
      hour: Math.floor((raw?.created_at ?? 0) / HOUR), team_id: "", project_tag: "", provider: "openai", model: "gpt-4o", key_source: "request",
      requests: 1, errors: 0, input_tokens: body.usage.prompt_tokens, output_tokens: body.usage.completion_tokens, cost_micros: 0,
      latency_ms_sum: raw?.latency_ms,
    });
    expect(rollup?.hour).toBeGreaterThanOrEqual(Math.floor(before / HOUR));
    const buckets = Array.from({ length: LATENCY_BUCKETS }, (_, i) => rollup?.[`latency_bucket_${i}`] ?? 0);
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(1);
    expect(buckets[latencyBucket(raw?.latency_ms ?? -1)]).toBe(1);
  });

  test("at start the retention job deletes raw rows past retention_days and keeps rollups", async () => {
    const old = Date.now() - 3 * 24 * HOUR;
    const db = new Database(gw.dbPath);
    db.run(
      `INSERT INTO usage_records (request_id, account_id, api_key_id, endpoint, byok, status, attempts, latency_ms, created_at)
       VALUES ('old_1', 'default', 'k', '/v1/chat/completions', 0, 200, 1, 5, ?), ('old_2', 'default', 'k', '/v1/chat/completions', 0, 200, 1, 5, ?)`,
      [old, old + 1],
    );
    db.run(
      `INSERT INTO usage_rollups (hour, account_id, team_id, project_tag, provider, model, key_source, requests, errors, input_tokens,
       output_tokens, cost_micros, list_cost_micros, latency_ms_sum, latency_bucket_0) VALUES (?, 'default', '', '', '', '', '', 2, 0, 0, 0, 0, 0, 10, 2)`,
      [Math.floor(old / HOUR)],
    );
    db.close();
    await gw.restart();
    let left: { request_id: string }[] = [];
    for (let i = 0; i < 100; i++) {
      left = query<{ request_id: string }>("SELECT request_id FROM usage_records");
      if (!left.some((r) => r.request_id.startsWith("old_"))) break;
      await Bun.sleep(10);
    }
    expect(left).toHaveLength(1);
    expect(left.some((r) => r.request_id.startsWith("old_"))).toBe(false);
    const rollups = query<RollupRow>("SELECT * FROM usage_rollups ORDER BY hour");
    expect(rollups.map((r) => [r.provider, r.requests])).toEqual([["", 2], ["openai", 1]]);
    expect(rollups[0]?.hour).toBe(Math.floor(old / HOUR));
  });
});
