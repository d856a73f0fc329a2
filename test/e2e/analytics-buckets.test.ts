// Time buckets of the analytics answers over real HTTP (bucket=hour|day), on a ledger seeded with 10 generated days
// of calls in Europe/Berlin plus the autumn clock change: each bucket's figures against a computation over the rows
// made here and against the same endpoint asked for period=custom with the bucket's bounds; the buckets add up to
// the period's totals; a developer's buckets hold its own calls only; bad input names `bucket`.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ZONE = "Europe/Berlin";

let gw: TestGateway;
let accountKey: string;
let developerKey: string;
let developerKeyId: string;
let accountId: string;
const rows: UsageRecord[] = [];
const now = Date.now();

type Answer = Record<string, any>;

async function get(key: string, params: Record<string, string>, endpoint = "usage"): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${gw.url}/v1/analytics/${endpoint}?${new URLSearchParams(params)}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Answer };
}

/** The figures of the rows in [from, to) computed here: requests, list and charged cost (micro-USD), per provider. */
function expected(from: number, to: number, only?: (r: UsageRecord) => boolean) {
  const inside = rows.filter((r) => r.accountId === accountId && r.createdAt >= from && r.createdAt < to && (only === undefined || only(r)));
  const providers = new Map<string, number>();
  for (const r of inside) providers.set(r.provider ?? "", (providers.get(r.provider ?? "") ?? 0) + 1);
  return {
    requests: inside.length,
    listMicros: inside.reduce((s, r) => s + (r.estimatedCostMicros ?? 0), 0),
    chargedMicros: inside.reduce((s, r) => s + (r.costMicros ?? 0), 0),
    byProvider: Object.fromEntries([...providers].sort()),
  };
}

const providersOf = (list: { name: string | null; requests: number }[]) => Object.fromEntries(list.map((p) => [p.name ?? "", p.requests]).sort());

beforeAll(async () => {
  gw = await startGateway({ ...openaiAt("http://127.0.0.1:9"), budgets: { time_zone: ZONE } });
  const post = async (key: string, path: string, body: unknown) => {
    const res = await fetch(`${gw.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as Answer;
  };
  const account = await post(gw.adminKey, "/v1/accounts", { name: "buckets" });
  accountId = account.id;
  accountKey = account.key;
  const developer = await post(accountKey, "/v1/api-keys", { name: "dev", role: "developer" });
  developerKey = developer.key;
  developerKeyId = developer.id;
  let seed = 7;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const providers = ["openai", "anthropic", "gemini"];
  const row = (createdAt: number, i: number): UsageRecord => {
    const provider = providers[Math.floor(next() * providers.length)] as string;
    const keySource = next() < 0.3 ? "platform" : "stored";
    const list = Math.floor(next() * 50_000);
    return {
      requestId: `b_${i}`, accountId, apiKeyId: next() < 0.25 ? developerKeyId : "key_other", endpoint: "/v1/chat/completions",
      provider, model: `${provider}-model`, keySource, byok: keySource !== "platform", status: next() < 0.05 ? 500 : 200, attempts: 1,
      inputTokens: Math.floor(next() * 500), outputTokens: Math.floor(next() * 200), estimatedCostMicros: list,
      costMicros: keySource === "platform" ? list + 1 : 0, latencyMs: Math.floor(next() * 3_000), createdAt,
    };
  };
  let i = 0;
  for (let t = now - 10 * DAY; t < now + 2 * HOUR; t += Math.floor(next() * 50 * MINUTE) + 1) rows.push(row(t, i++));
  for (let t = Date.UTC(2026, 9, 24, 21); t < Date.UTC(2026, 9, 26); t += 11 * MINUTE) rows.push(row(t, i++));
  const store = openStore(gw.dbPath);
  try {
    await store.usage.insertMany(rows);
  } finally {
    store.close();
  }
}, 60_000);

afterAll(async () => {
  await gw?.stop();
});

describe("bucket=hour|day", () => {
  test("today by hour: each hour's figures match the ledger, and the hours add up to the day", async () => {
    const { status, body } = await get(accountKey, { period: "today", bucket: "hour", group_by: "provider" });
    expect(status).toBe(200);
    expect(body.bucket).toBe("hour");
    const buckets = body.buckets as [Answer, ...Answer[]];
    expect(buckets.length).toBeGreaterThanOrEqual(23);
    expect(Date.parse(buckets[0].from)).toBe(Date.parse(body.period.from));
    expect(Date.parse(buckets.at(-1)!.to)).toBe(Date.parse(body.period.to));
    let requests = 0;
    for (const b of buckets) {
      const from = Date.parse(b.from);
      const to = Date.parse(b.to);
      expect(to - from).toBe(HOUR);
      const e = expected(from, to);
      expect(b.total_requests, b.from).toBe(e.requests);
      expect(b.estimated_costs).toBe(e.listMicros / 1e6);
      expect(b.costs).toBe(e.chargedMicros / 1e6);
      expect(providersOf(b.by_provider)).toEqual(e.byProvider);
      requests += b.total_requests;
    }
    expect(requests).toBe(body.total_requests);
    expect(body.total_requests).toBe(expected(Date.parse(body.period.from), Date.parse(body.period.to)).requests);
    expect(body.total_requests).toBeGreaterThan(0);
    // Hours without calls are there too, with zeros (a chart's axis stays continuous).
    const empty = buckets.find((b) => b.total_requests === 0);
    if (empty) expect(empty).toMatchObject({ total_requests: 0, estimated_costs: 0, avg_latency_ms: null, by_provider: [] });
  });

  test("last_7_days by day on /byok: each day is what period=custom with its bounds answers", async () => {
    const params = { period: "last_7_days", group_by: "provider,model", bucket: "day" };
    const { status, body } = await get(accountKey, params, "byok");
    expect(status).toBe(200);
    const buckets = body.buckets as [Answer, ...Answer[]];
    expect(buckets).toHaveLength(7);
    const plain = await get(accountKey, { period: "last_7_days", group_by: params.group_by }, "byok");
    const { bucket, buckets: _, ...totals } = body;
    expect(totals).toEqual(plain.body);
    for (const b of buckets) {
      const alone = await get(accountKey, { from: b.from, to: b.to, group_by: params.group_by }, "byok");
      expect(alone.status).toBe(200);
      const { period, group_by, ...figures } = alone.body;
      const { from, to, ...shown } = b;
      expect(shown, b.from).toEqual(figures);
      expect(shown.total_requests).toBe(expected(Date.parse(from), Date.parse(to), (r) => r.keySource !== "platform").requests);
    }
    expect(buckets.reduce((s, b) => s + b.total_requests, 0)).toBe(body.total_requests);
  });

  test("Berlin's autumn clock change: 25 hour buckets, the second 02:00 with its own calls", async () => {
    const { body } = await get(accountKey, { from: "2026-10-25", to: "2026-10-25", bucket: "hour", group_by: "provider" });
    const buckets = body.buckets as [Answer, ...Answer[]];
    expect(buckets).toHaveLength(25);
    expect(buckets.slice(2, 4).map((b) => b.from)).toEqual(["2026-10-25T02:00:00.000+02:00", "2026-10-25T02:00:00.000+01:00"]);
    for (const b of buckets) expect(b.total_requests).toBe(expected(Date.parse(b.from), Date.parse(b.to)).requests);
    expect(buckets[3]?.total_requests).toBeGreaterThan(0);
  });

  test("a custom range with minutes: the edge buckets are clipped, read from raw rows to the minute", async () => {
    const from = Math.floor((now - 2 * DAY) / HOUR) * HOUR + 17 * MINUTE;
    const to = from + 5 * HOUR + 31 * MINUTE;
    const { body } = await get(accountKey, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket: "hour", group_by: "provider" });
    const buckets = body.buckets as [Answer, ...Answer[]];
    expect(buckets).toHaveLength(6); // 43 minutes, 4 whole hours, 48 minutes
    expect(Date.parse(buckets[0].to) - Date.parse(buckets[0].from)).toBe(43 * MINUTE);
    expect(Date.parse(buckets.at(-1)!.to) - Date.parse(buckets.at(-1)!.from)).toBe(48 * MINUTE);
    for (const b of buckets) expect(b.total_requests).toBe(expected(Date.parse(b.from), Date.parse(b.to)).requests);
  });

  test("a developer's buckets hold its own key's calls only", async () => {
    const { status, body } = await get(developerKey, { period: "last_7_days", bucket: "day", group_by: "provider" });
    expect(status).toBe(200);
    for (const b of body.buckets as Answer[]) {
      expect(b.total_requests).toBe(expected(Date.parse(b.from), Date.parse(b.to), (r) => r.apiKeyId === developerKeyId).requests);
    }
    expect(body.total_requests).toBeGreaterThan(0);
    expect(body.total_requests).toBeLessThan(expected(Date.parse(body.period.from), Date.parse(body.period.to)).requests);
  });

  test("a month of hours answers in one call, quickly", async () => {
    const started = performance.now();
    const { status, body } = await get(accountKey, { period: "last_30_days", bucket: "hour", group_by: "provider,key_source" });
    expect(status).toBe(200);
    expect((body.buckets as Answer[]).length).toBeGreaterThanOrEqual(30 * 24 - 1);
    expect((body.buckets as Answer[]).reduce((s, b) => s + b.total_requests, 0)).toBe(body.total_requests);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test("without bucket the answer has no buckets", async () => {
    const { body } = await get(accountKey, { period: "today" });
    expect(body.bucket).toBeUndefined();
    expect(body.buckets).toBeUndefined();
  });

  for (const [params, endpoint] of [
    [{ bucket: "week" }, "usage"],
    [{ bucket: "hour", period: "last_quarter" }, "byok"],
    [{ bucket: "Hour" }, "usage"],
  ] as const) {
    test(`bad input: ${JSON.stringify(params)} is a 400 naming bucket`, async () => {
      const { status, body } = await get(accountKey, params, endpoint);
      expect(status).toBe(400);
      expect(body.error.param).toBe("bucket");
    });
  }
});
