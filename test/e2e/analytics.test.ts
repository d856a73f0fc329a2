// Usage analytics over real HTTP, on a ledger seeded with 90 generated days of known traffic (two accounts, teams,
// projects, providers, models, key sources, errors, latencies) written through the store's insertMany: every figure
// of every endpoint is checked against a computation over the generated rows made here, for named periods on
// Europe/Berlin's calendar, the daylight-saving day, custom bounds with minutes (raw rows for the partial hours),
// and periods past usage.retention_days. Then the cost comparison on a worked example, who sees what, bad input.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = "Europe/Berlin";
const RETENTION_DAYS = 30;
/** Latency bucket upper bounds (ms), written out here: the p95 shown is the bound of the bucket holding it. */
const BOUNDS = [10, 15, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 960, 1_280, 1_920, 2_560, 3_840, 5_120, 7_680, 10_240, 15_360, 20_480, 30_720, 40_960, 61_440, 81_920, 122_880, 163_840, 245_760];

let gw: TestGateway;
const now = Date.now();
/** Raw rows before this were pruned by the test (a day before the gateway's own retention cutoff). */
const pruneCutoff = now - (RETENTION_DAYS + 1) * DAY;
/** A custom range whose bounds cut hours, within retention (raw rows) and past it (rollups only). */
const RECENT_CUT = { from: Math.floor((now - 3 * DAY) / HOUR) * HOUR + 25 * 60_000, to: Math.floor((now - DAY) / HOUR) * HOUR + 40 * 60_000 };
const OLD_CUT = { from: Math.floor((now - 45 * DAY) / HOUR) * HOUR + 20 * 60_000, to: Math.floor((now - 40 * DAY) / HOUR) * HOUR + 30 * 60_000 };

// ---------------------------------------------------------------- calendar of a zone, computed with Intl

function offsetMs(at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - Math.floor(at / 1000) * 1000;
}
/** Epoch ms of local midnight starting year-month-day in the zone (month and day may overflow as Date.UTC allows). */
function midnight(year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month, day);
  let guess = wall;
  for (let i = 0; i < 3; i++) guess = wall - offsetMs(guess);
  return guess;
}
function localDate(at: number): { y: number; m: number; d: number } {
  const local = new Date(at + offsetMs(at));
  return { y: local.getUTCFullYear(), m: local.getUTCMonth(), d: local.getUTCDate() };
}
function namedPeriod(name: string): { from: number; to: number } {
  const { y, m, d } = localDate(Date.now());
  switch (name) {
    case "today": return { from: midnight(y, m, d), to: midnight(y, m, d + 1) };
    case "last_7_days": return { from: midnight(y, m, d - 6), to: midnight(y, m, d + 1) };
    case "last_30_days": return { from: midnight(y, m, d - 29), to: midnight(y, m, d + 1) };
    case "current_month": return { from: midnight(y, m, 1), to: midnight(y, m + 1, 1) };
    case "last_quarter": {
      const q = Math.floor(m / 3);
      return { from: midnight(y, (q - 1) * 3, 1), to: midnight(y, q * 3, 1) };
    }
  }
  throw new Error(name);
}

// ---------------------------------------------------------------- the generated ledger

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const MODELS: [string, string][] = [["openai", "gpt-4o"], ["openai", "gpt-4o-mini"], ["anthropic", "claude-3-5-sonnet"], ["gemini", "gemini-1.5-pro"], ["mistral", "gpt-4o"]];
const PROJECTS = [null, "alpha", "beta", "=odd,\"name\""];
const KEY_SOURCES = ["request", "stored", "platform"];

interface World {
  accountA: string;
  accountB: string;
  accountC: string;
  t1: string;
  t2: string;
  tb: string;
  keys: Record<"aA" | "aD" | "aV" | "tA" | "tD" | "tV" | "t2A" | "bA" | "cA", string>;
  keyIds: { aD: string; tD: string };
}
let world: World;
let rows: UsageRecord[] = [];

function generate(w: World): UsageRecord[] {
  const next = random(20_261_201);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const out: UsageRecord[] = [];
  let serial = 0;
  const row = (createdAt: number, accountId: string, apiKeyId: string, teamId: string | null): UsageRecord => {
    const failedEarly = next() < 0.03;
    const [provider, model] = pick(MODELS);
    const keySource = pick(KEY_SOURCES);
    const status = failedEarly ? pick([400, 429]) : next() < 0.06 ? pick([500, 502, 429]) : 200;
    const list = failedEarly ? 0 : Math.floor(next() * 80_000);
    const latency = Math.floor(Math.exp(next() * 10.5)) + (next() < 0.01 ? 250_000 : 0);
    return {
      requestId: `gen_${++serial}`, accountId, apiKeyId, teamId, projectTag: pick(PROJECTS), endpoint: "/v1/chat/completions",
      provider: failedEarly ? null : provider, model: failedEarly ? null : model, keySource: failedEarly ? null : keySource,
      byok: !failedEarly && keySource !== "platform", status, attempts: 1,
      inputTokens: failedEarly ? 0 : Math.floor(next() * 3_000), outputTokens: failedEarly ? 0 : Math.floor(next() * 1_000),
      costMicros: !failedEarly && keySource === "platform" ? Math.floor((list * 1_125 + 500) / 1_000) : 0,
      estimatedCostMicros: list, latencyMs: latency, createdAt,
    };
  };
  const callers: [string, string, string | null][] = [
    [w.accountA, w.keyIds.aD, null],
    [w.accountA, w.keyIds.tD, w.t1],
    [w.accountA, "key_t1_other", w.t1],
    [w.accountA, "key_t2", w.t2],
    [w.accountA, "key_account", null],
    [w.accountB, "key_b", null],
    [w.accountB, "key_tb", w.tb],
  ];
  // 90 days back from now, and some hours ahead (the rest of today and of the month have edges too).
  for (let at = now - 90 * DAY; at < now + 6 * HOUR; at += Math.floor(next() * 40 * 60_000)) {
    const [accountId, apiKeyId, teamId] = pick(callers);
    out.push(row(at, accountId, apiKeyId, teamId));
  }
  // Around Berlin's autumn and spring clock changes, whatever today's date, and right at this month's edges.
  for (const [start, end] of [[Date.UTC(2026, 9, 24, 20), Date.UTC(2026, 9, 26, 1)], [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 2, 30, 1)]]) {
    for (let at = start as number; at < (end as number); at += 7 * 60_000) {
      const [accountId, apiKeyId, teamId] = pick(callers);
      out.push(row(at, accountId, apiKeyId, teamId));
    }
  }
  // Calls on both sides of each bound that cuts an hour, in each account.
  for (const bound of [RECENT_CUT.from, RECENT_CUT.to, OLD_CUT.from, OLD_CUT.to]) {
    for (const at of [bound - 60_000, bound - 1, bound, bound + 60_000]) {
      for (const [accountId, apiKeyId, teamId] of callers) out.push(row(at, accountId, apiKeyId, teamId));
    }
  }
  const month = namedPeriod("current_month");
  for (const at of [month.from - 1, month.from, month.to - 1, month.to]) {
    for (const [accountId, apiKeyId, teamId] of callers) out.push(row(at, accountId, apiKeyId, teamId));
  }
  return out;
}

// ---------------------------------------------------------------- the expected figures, computed over the rows

interface Expect {
  from: number;
  to: number;
  accountId?: string;
  teamId?: string;
  apiKeyId?: string;
  provider?: string;
  project?: string;
  keySources?: (string | null)[];
}

/** The rows a period covers: raw rows in [from, to); for a key, only those retention left; else an edge hour past retention counts whole. */
function covered(e: Expect): UsageRecord[] {
  const serverCutoff = Date.now() - RETENTION_DAYS * DAY;
  const edgeHours = new Set<number>();
  for (const bound of [e.from, e.to]) if (bound % HOUR !== 0 && Math.floor(bound / HOUR) * HOUR < serverCutoff) edgeHours.add(Math.floor(bound / HOUR));
  return rows.filter((r) => {
    const inside = r.createdAt >= e.from && r.createdAt < e.to;
    if (e.apiKeyId !== undefined) {
      if (!inside || r.apiKeyId !== e.apiKeyId || r.createdAt < pruneCutoff) return false;
    } else if (!inside && !edgeHours.has(Math.floor(r.createdAt / HOUR))) return false;
    return (
      (e.accountId === undefined || r.accountId === e.accountId) &&
      (e.teamId === undefined || r.teamId === e.teamId) &&
      (e.provider === undefined || r.provider === e.provider) &&
      (e.project === undefined || r.projectTag === e.project) &&
      (e.keySources === undefined || e.keySources.includes(r.keySource ?? null))
    );
  });
}

function p95(latencies: number[]): number | null {
  if (latencies.length === 0) return null;
  const sorted = [...latencies].sort((a, b) => a - b);
  const value = sorted[Math.ceil(0.95 * sorted.length) - 1] as number;
  return BOUNDS.find((bound) => value <= bound) ?? (BOUNDS.at(-1) as number);
}

function figures(group: UsageRecord[], charged: boolean) {
  const sum = (f: (r: UsageRecord) => number) => group.reduce((total, r) => total + f(r), 0);
  const requests = group.length;
  return {
    requests,
    estimated_cost: sum((r) => r.estimatedCostMicros ?? 0) / 1e6,
    ...(charged ? { cost: sum((r) => r.costMicros ?? 0) / 1e6 } : {}),
    input_tokens: sum((r) => r.inputTokens ?? 0),
    output_tokens: sum((r) => r.outputTokens ?? 0),
    avg_latency_ms: Math.round(sum((r) => r.latencyMs) / requests),
    p95_latency_ms: p95(group.map((r) => r.latencyMs)),
    error_rate: Math.round((group.filter((r) => r.status >= 400).length / requests) * 10_000) / 10_000,
  };
}

const models = (group: UsageRecord[]) => [...new Set(group.map((r) => r.model).filter((m): m is string => Boolean(m)))].sort();

function groupsOf(list: UsageRecord[], key: (r: UsageRecord) => string): Map<string, UsageRecord[]> {
  const map = new Map<string, UsageRecord[]>();
  for (const r of list) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
  return map;
}

const TEAM_NAMES: Record<string, string> = {};

function expectedAnswer(e: Expect, groupBy: string[], charged: boolean) {
  const list = covered(e);
  const sum = (f: (r: UsageRecord) => number) => list.reduce((total, r) => total + f(r), 0);
  const all = list.length > 0 ? figures(list, charged) : undefined;
  const answer: Record<string, unknown> = {
    total_requests: list.length,
    estimated_costs: sum((r) => r.estimatedCostMicros ?? 0) / 1e6,
    ...(charged ? { costs: sum((r) => r.costMicros ?? 0) / 1e6 } : {}),
    total_tokens: { input: sum((r) => r.inputTokens ?? 0), output: sum((r) => r.outputTokens ?? 0) },
    avg_latency_ms: all?.avg_latency_ms ?? null,
    p95_latency_ms: all?.p95_latency_ms ?? null,
    error_rate: all?.error_rate ?? 0,
  };
  const by: Record<string, (r: UsageRecord) => string> = {
    provider: (r) => r.provider ?? "",
    model: (r) => `${r.provider ?? ""}/${r.model ?? ""}`,
    team: (r) => r.teamId ?? "",
    project: (r) => r.projectTag ?? "",
    key_source: (r) => r.keySource ?? "",
  };
  for (const group of groupBy) {
    const entries = [...groupsOf(list, by[group] as (r: UsageRecord) => string).values()].map((members) => {
      const first = members[0] as UsageRecord;
      const head =
        group === "model" ? { name: first.model ?? null, provider: first.provider ?? null }
        : group === "team" ? { team_id: first.teamId ?? null, name: first.teamId ? TEAM_NAMES[first.teamId] ?? null : null }
        : group === "provider" ? { name: first.provider ?? null }
        : group === "project" ? { name: first.projectTag ?? null }
        : { name: first.keySource ?? null };
      return { ...head, ...figures(members, charged), ...(group === "model" ? {} : { models_used: models(members) }) };
    });
    answer[`by_${group}`] = entries;
  }
  return answer;
}

/** A group list in a canonical order (the answer's own order is checked separately). */
const canonical = (list: unknown) => [...(list as Record<string, unknown>[])].sort((a, b) => JSON.stringify([a.provider, a.team_id, a.name]).localeCompare(JSON.stringify([b.provider, b.team_id, b.name])));

async function get(key: string, path: string): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** GETs the endpoint and checks every figure of the answer against the expected one. */
async function check(key: string, endpoint: "byok" | "usage", params: Record<string, string>, e: Expect, groupBy: string[]) {
  const res = await get(key, `/v1/analytics/${endpoint}?${new URLSearchParams(params)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const charged = endpoint === "usage";
  const expected = expectedAnswer(endpoint === "byok" ? { ...e, keySources: e.keySources ?? ["request", "stored"] } : e, groupBy, charged);
  const { period, group_by, ...figuresShown } = res.body;
  expect(Date.parse(period.from)).toBe(e.from);
  expect(Date.parse(period.to)).toBe(e.to);
  expect(period.time_zone).toBe(ZONE);
  expect(group_by).toEqual(groupBy);
  for (const [field, value] of Object.entries(expected)) {
    if (field.startsWith("by_")) {
      const shown = figuresShown[field] as { estimated_cost: number; requests: number }[];
      expect(canonical(shown), `${field} of ${JSON.stringify(params)}`).toEqual(canonical(value));
      // Dearest first.
      for (let i = 1; i < shown.length; i++) expect((shown[i - 1] as { estimated_cost: number }).estimated_cost).toBeGreaterThanOrEqual((shown[i] as { estimated_cost: number }).estimated_cost);
    } else {
      expect(figuresShown[field], `${field} of ${JSON.stringify(params)}`).toEqual(value);
    }
  }
  expect(Object.keys(figuresShown).filter((k) => k.startsWith("by_")).sort()).toEqual(groupBy.map((g) => `by_${g}`).sort());
  return res.body;
}

// ---------------------------------------------------------------- setup

const teamBody = (name: string, members: { email: string; role: string }[]) => ({
  name,
  byok_permissions: { providers: { openai: { enabled: true } } },
  members,
});

beforeAll(async () => {
  gw = await startGateway({
    ...openaiAt("http://127.0.0.1:9"),
    budgets: { time_zone: ZONE },
    platform: { markup_percent: 12.5, byok_fee_percent: 2.5 },
    usage: { retention_days: RETENTION_DAYS },
  });
  const made = async (key: string, path: string, body: unknown) => {
    const res = await fetch(`${gw.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json;
  };
  const a = await made(gw.adminKey, "/v1/accounts", { name: "analytics A" });
  const b = await made(gw.adminKey, "/v1/accounts", { name: "analytics B" });
  const c = await made(gw.adminKey, "/v1/accounts", { name: "analytics C" });
  const aD = await made(a.key, "/v1/api-keys", { name: "a developer", role: "developer" });
  const aV = await made(a.key, "/v1/api-keys", { name: "a viewer", role: "viewer" });
  const t1 = await made(a.key, "/v1/teams", teamBody("Team One", [
    { email: "admin@t1", role: "admin" }, { email: "dev@t1", role: "developer" }, { email: "viewer@t1", role: "viewer" },
  ]));
  const t2 = await made(a.key, "/v1/teams", teamBody("Team Two", [{ email: "admin@t2", role: "admin" }]));
  const tb = await made(b.key, "/v1/teams", teamBody("Team B", [{ email: "admin@tb", role: "admin" }]));
  const member = (team: Record<string, any>, email: string) => (team.members as Record<string, string>[]).find((m) => m.email === email) as Record<string, string>;
  world = {
    accountA: a.id, accountB: b.id, accountC: c.id, t1: t1.id, t2: t2.id, tb: tb.id,
    keys: {
      aA: a.key, aD: aD.key, aV: aV.key, tA: member(t1, "admin@t1").key as string, tD: member(t1, "dev@t1").key as string,
      tV: member(t1, "viewer@t1").key as string, t2A: member(t2, "admin@t2").key as string, bA: b.key, cA: c.key,
    },
    keyIds: { aD: aD.id, tD: member(t1, "dev@t1").key_id as string },
  };
  Object.assign(TEAM_NAMES, { [t1.id]: "Team One", [t2.id]: "Team Two", [tb.id]: "Team B" });
  rows = generate(world);
  const store = openStore(gw.dbPath);
  try {
    for (let i = 0; i < rows.length; i += 5_000) await store.usage.insertMany(rows.slice(i, i + 5_000));
    // Retention, as the gateway's job would have run it a day ago: raw rows go, their rollups stay.
    while ((await store.usage.pruneBefore(pruneCutoff, 10_000)) > 0);
  } finally {
    store.close();
  }
}, 60_000);

afterAll(async () => {
  await gw?.stop();
});

// ---------------------------------------------------------------- figures

const ALL_GROUPS = ["provider", "model", "team", "project"];

describe("every figure matches the generated ledger", () => {
  test("the ledger is big and varied enough to mean something", () => {
    expect(rows.length).toBeGreaterThan(5_000);
    expect(new Set(rows.map((r) => r.keySource)).size).toBe(4); // three sources and none
    expect(rows.some((r) => r.latencyMs > BOUNDS.at(-1)!)).toBe(true);
  });

  for (const name of ["current_month", "last_7_days", "last_30_days", "last_quarter", "today"]) {
    test(`byok and usage, ${name} on Berlin's calendar, every group`, async () => {
      const e = { ...namedPeriod(name), accountId: world.accountA };
      await check(world.keys.aA, "byok", { period: name, group_by: ALL_GROUPS.join(",") }, e, ALL_GROUPS);
      await check(world.keys.aA, "usage", { period: name, group_by: [...ALL_GROUPS, "key_source"].join(",") }, e, [...ALL_GROUPS, "key_source"]);
    });
  }

  test("without period, the current month grouped by provider and model (the default groups)", async () => {
    const body = await check(world.keys.aA, "byok", {}, { ...namedPeriod("current_month"), accountId: world.accountA }, ["provider", "model"]);
    expect(body.total_requests).toBeGreaterThan(0);
  });

  test("the autumn clock change in Berlin: 25 October 2026 has 25 hours, all of them counted", async () => {
    const from = Date.UTC(2026, 9, 24, 22);
    const to = Date.UTC(2026, 9, 25, 23);
    const e = { from, to, accountId: world.accountA };
    await check(world.keys.aA, "usage", { from: "2026-10-25", to: "2026-10-25", group_by: "provider,key_source" }, e, ["provider", "key_source"]);
    expect(covered(e).some((r) => r.createdAt >= Date.UTC(2026, 9, 25, 22))).toBe(true); // the 25th hour has calls
  });

  test("the spring clock change in Berlin: 29 March 2026 has 23 hours", async () => {
    await check(world.keys.aA, "byok", { period: "custom", from: "2026-03-29", to: "2026-03-29", group_by: "team" }, { from: Date.UTC(2026, 2, 28, 23), to: Date.UTC(2026, 2, 29, 22), accountId: world.accountA }, ["team"]);
  });

  test("custom bounds with minutes: the partial hours are read from raw rows, to the minute", async () => {
    const { from, to } = RECENT_CUT;
    const e = { from, to, accountId: world.accountA };
    const params = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: "provider,project" };
    await check(world.keys.aA, "usage", params, e, ["provider", "project"]);
    // Both edges cut an hour holding calls on each side, so reading whole hours would differ.
    for (const bound of [from, to]) {
      const hour = Math.floor(bound / HOUR);
      const inHour = rows.filter((r) => r.accountId === world.accountA && Math.floor(r.createdAt / HOUR) === hour);
      expect(inHour.some((r) => r.createdAt < bound) && inHour.some((r) => r.createdAt >= bound)).toBe(true);
    }
  });

  test("past retention, partial hours count whole (from their rollups) and whole hours stay exact", async () => {
    const { from, to } = OLD_CUT;
    await check(world.keys.aA, "byok", { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: "model" }, { from, to, accountId: world.accountA }, ["model"]);
  });

  test("filters: provider, team_id, project, and key_source on /usage", async () => {
    const e = { ...namedPeriod("last_30_days"), accountId: world.accountA };
    await check(world.keys.aA, "byok", { period: "last_30_days", provider: "openai", group_by: "model" }, { ...e, provider: "openai" }, ["model"]);
    await check(world.keys.aA, "byok", { period: "last_30_days", team_id: world.t2, group_by: "team,project" }, { ...e, teamId: world.t2 }, ["team", "project"]);
    await check(world.keys.aA, "usage", { period: "last_30_days", project: "=odd,\"name\"", group_by: "project" }, { ...e, project: "=odd,\"name\"" }, ["project"]);
    await check(world.keys.aA, "usage", { period: "last_30_days", key_source: "platform", group_by: "key_source,provider" }, { ...e, keySources: ["platform"] }, ["key_source", "provider"]);
  });

  test("cost comparison over the ledger: list price of BYOK calls, the fee and the markup, each rounded once", async () => {
    const res = await get(world.keys.aA, "/v1/analytics/cost-comparison?period=last_30_days");
    expect(res.status).toBe(200);
    const list = covered({ ...namedPeriod("last_30_days"), accountId: world.accountA, keySources: ["request", "stored"] });
    const listMicros = list.reduce((sum, r) => sum + (r.estimatedCostMicros ?? 0), 0);
    const fee = Math.floor((listMicros * 250 * 2 + 10_000) / 20_000); // half up
    const platform = Math.floor((listMicros * 11_250 * 2 + 10_000) / 20_000);
    expect(res.body.byok_requests).toBe(list.length);
    expect(res.body.byok).toEqual({ provider_costs: listMicros / 1e6, platform_fees: fee / 1e6, total: (listMicros + fee) / 1e6 });
    expect(res.body.platform).toEqual({ total: platform / 1e6 });
    expect(res.body.savings).toBe((platform - listMicros - fee) / 1e6);
    expect(res.body.savings_percentage).toBe(Math.round(((platform - listMicros - fee) / platform) * 10_000) / 100);
  });
});

describe("cost comparison, worked example", () => {
  test("3.234567 USD of BYOK calls with a 2.5 % fee against a 12.5 % markup", async () => {
    // Account C: a stored-key call at 1.234567 USD list price, a request-key call at 2.00 USD, and a platform call
    // (5.00 USD) that BYOK figures leave out.
    //   provider costs  = 1,234,567 + 2,000,000                 = 3,234,567 micro-USD
    //   platform fees   = 3,234,567 x 2.5 %  =    80,864.175     ->    80,864 (half up)
    //   BYOK total      = 3,234,567 + 80,864                      = 3,315,431
    //   platform total  = 3,234,567 x 112.5 % = 3,638,887.875    -> 3,638,888
    //   savings         = 3,638,888 - 3,315,431                   =   323,457
    //   savings %       = 323,457 / 3,638,888 = 8.8889 %          -> 8.89
    const at = Math.floor((now - 2 * DAY) / HOUR) * HOUR;
    const base = { accountId: world.accountC, apiKeyId: "key_c", endpoint: "/v1/chat/completions", status: 200, attempts: 1, latencyMs: 100, provider: "openai", model: "gpt-4o" };
    const written: UsageRecord[] = [
        { ...base, requestId: "c1", keySource: "stored", byok: true, estimatedCostMicros: 1_234_567, createdAt: at + 5 },
        { ...base, requestId: "c2", keySource: "request", byok: true, estimatedCostMicros: 2_000_000, createdAt: at + 10 * 60_000 },
        { ...base, requestId: "c3", keySource: "platform", byok: false, estimatedCostMicros: 5_000_000, costMicros: 5_625_000, createdAt: at + 20 * 60_000 },
    ];
    rows.push(...written); // the operator's view of every account includes them
    const store = openStore(gw.dbPath);
    try {
      await store.usage.insertMany(written);
    } finally {
      store.close();
    }
    const res = await get(world.keys.cA, `/v1/analytics/cost-comparison?from=${new Date(at).toISOString()}&to=${new Date(at + HOUR).toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      byok_requests: 2,
      byok: { provider_costs: 3.234567, platform_fees: 0.080864, total: 3.315431 },
      platform: { total: 3.638888 },
      savings: 0.323457,
      savings_percentage: 8.89,
      rates: { byok_fee_percent: 2.5, markup_percent: 12.5 },
    });
    expect(Date.parse(res.body.period.from)).toBe(at);
  });
});

describe("who sees what", () => {
  const e = () => ({ ...namedPeriod("last_7_days") });
  const q = { period: "last_7_days", group_by: "provider,team" };

  test("the operator sees every account, or one with ?account_id=", async () => {
    await check(gw.adminKey, "usage", q, e(), ["provider", "team"]);
    await check(gw.adminKey, "byok", { ...q, account_id: world.accountB }, { ...e(), accountId: world.accountB }, ["provider", "team"]);
    expect((await get(gw.adminKey, "/v1/analytics/byok?account_id=acct_nobody")).status).toBe(404);
  });

  test("an account key (admin or viewer) sees its account; naming another account is a 404", async () => {
    await check(world.keys.aA, "byok", q, { ...e(), accountId: world.accountA }, ["provider", "team"]);
    await check(world.keys.aV, "usage", q, { ...e(), accountId: world.accountA }, ["provider", "team"]);
    await check(world.keys.bA, "byok", q, { ...e(), accountId: world.accountB }, ["provider", "team"]);
    const other = await get(world.keys.aA, `/v1/analytics/byok?account_id=${world.accountB}`);
    expect(other.status).toBe(404);
    expect(other.body.error.param).toBe("account_id");
    expect((await get(world.keys.aV, `/v1/analytics/cost-comparison?account_id=${world.accountB}`)).status).toBe(404);
  });

  test("an account key naming a team of another account is a 404", async () => {
    const res = await get(world.keys.aA, `/v1/analytics/byok?team_id=${world.tb}`);
    expect(res.status).toBe(404);
    expect(res.body.error.param).toBe("team_id");
  });

  test("a team admin or viewer sees its team only; naming another team is a 404", async () => {
    await check(world.keys.tA, "byok", q, { ...e(), accountId: world.accountA, teamId: world.t1 }, ["provider", "team"]);
    await check(world.keys.tV, "usage", { ...q, team_id: world.t1 }, { ...e(), accountId: world.accountA, teamId: world.t1 }, ["provider", "team"]);
    await check(world.keys.t2A, "byok", q, { ...e(), accountId: world.accountA, teamId: world.t2 }, ["provider", "team"]);
    for (const key of [world.keys.tA, world.keys.tV]) {
      expect((await get(key, `/v1/analytics/usage?team_id=${world.t2}`)).status).toBe(404);
      expect((await get(key, `/v1/analytics/byok?account_id=${world.accountB}`)).status).toBe(404);
    }
    const comparison = await get(world.keys.tA, "/v1/analytics/cost-comparison?period=last_7_days");
    const list = covered({ ...e(), accountId: world.accountA, teamId: world.t1, keySources: ["request", "stored"] }).reduce((s, r) => s + (r.estimatedCostMicros ?? 0), 0);
    expect(comparison.body.byok.provider_costs).toBe(list / 1e6);
  });

  test("a developer (account or team) sees only its own key's calls, within retention", async () => {
    await check(world.keys.aD, "usage", q, { ...e(), accountId: world.accountA, apiKeyId: world.keyIds.aD }, ["provider", "team"]);
    await check(world.keys.tD, "byok", q, { ...e(), accountId: world.accountA, apiKeyId: world.keyIds.tD }, ["provider", "team"]);
    // last_quarter reaches past retention: the developer's older calls are gone with their raw rows.
    await check(world.keys.tD, "usage", { period: "last_quarter" }, { ...namedPeriod("last_quarter"), accountId: world.accountA, apiKeyId: world.keyIds.tD }, ["provider", "model"]);
    expect((await get(world.keys.tD, `/v1/analytics/byok?team_id=${world.t2}`)).status).toBe(404);
    expect((await get(world.keys.aD, `/v1/analytics/byok?account_id=${world.accountB}`)).status).toBe(404);
  });

  test("no key, or a key keyway does not know, is a 401", async () => {
    expect((await fetch(`${gw.url}/v1/analytics/byok`)).status).toBe(401);
    expect((await get("kw_not_a_key", "/v1/analytics/usage")).status).toBe(401);
  });
});

describe("bad input is a 400 naming the parameter", () => {
  const cases: [string, string][] = [
    ["/v1/analytics/byok?group_by=provider,colour", "group_by"],
    ["/v1/analytics/byok?group_by=key_source", "group_by"],
    ["/v1/analytics/usage?group_by=team,,model", "group_by"],
    ["/v1/analytics/byok?period=fortnight", "period"],
    ["/v1/analytics/cost-comparison?period=yesterday", "period"],
    ["/v1/analytics/usage?from=2026-03-05&to=2026-03-01", "from"],
    ["/v1/analytics/byok?period=custom&from=2024-01-01&to=2025-06-01", "to"],
    ["/v1/analytics/byok?from=2026-03-01", "to"],
    ["/v1/analytics/byok?from=soon&to=2026-03-01", "from"],
    ["/v1/analytics/byok?provider=Open%20AI", "provider"],
    ["/v1/analytics/byok?key_source=platform", "key_source"],
    ["/v1/analytics/usage?key_source=borrowed", "key_source"],
  ];
  for (const [path, param] of cases) {
    test(`${path} -> ${param}`, async () => {
      const res = await get(world.keys.aA, path);
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(param);
      expect(res.body.error.code ?? res.body.error.type).toBeDefined();
    });
  }
});
