// POST /v1/billing/export over real HTTP on a ledger seeded here (two accounts, teams, keys, providers, models, key
// sources, two weeks of calls in a +05:30 zone): CSV parsed back matches the JSON export and an independent sum
// over the seeded rows; formula cells neutralised; the file streamed; who sees what; bad input refused.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parse } from "csv-parse/sync";
import { TZDate } from "@date-fns/tz";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const ZONE = "Asia/Kolkata";
const HOUR = 3_600_000;
const EVIL = '=HYPERLINK("http://x","y")';
let gw: TestGateway;
const rows: UsageRecord[] = [];
const keys: Record<string, string> = {};
const keyIds: Record<string, string> = {};
let accountA = "";
let accountB = "";
let evilTeam = "";
let plainTeam = "";
let from = "";
let to = "";
let periodFrom = 0;
let periodTo = 0;

async function call(key: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}
async function made(key: string, path: string, body: unknown): Promise<Record<string, any>> {
  const res = await call(key, "POST", path, body);
  const answer = (await res.json()) as Record<string, any>;
  expect(res.status, JSON.stringify(answer)).toBe(201);
  return answer;
}

/** The local midnight starting the day `days` from today in the zone. */
function localMidnight(days: number): TZDate {
  const today = new TZDate(Date.now(), ZONE);
  return new TZDate(today.getFullYear(), today.getMonth(), today.getDate() + days, 0, 0, 0, 0, ZONE);
}
/** The local date `days` from today in the zone, YYYY-MM-DD. */
function localDate(days: number): string {
  const day = localMidnight(days);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}

beforeAll(async () => {
  gw = await startGateway({ budgets: { time_zone: ZONE } });
  const op = gw.adminKey;
  for (const role of ["admin", "developer", "viewer"]) {
    const key = await made(op, "/v1/api-keys", { name: `account ${role}`, role });
    keys[`a_${role}`] = key.key;
    keyIds[`a_${role}`] = key.id;
  }
  accountA = (await (await call(keys.a_admin as string, "GET", "/v1/api-keys")).json() as { data: { account_id: string }[] }).data[0]?.account_id ?? "";
  const teamBody = (name: string, members: { email: string; role: string }[]) => ({
    name, byok_permissions: { providers: { openai: { enabled: true } } }, members,
  });
  const evil = await made(keys.a_admin as string, "/v1/teams", teamBody(EVIL, [
    { email: "admin@evil", role: "admin" }, { email: "dev@evil", role: "developer" }, { email: "viewer@evil", role: "viewer" },
  ]));
  evilTeam = evil.id;
  for (const member of evil.members as { role: string; key: string; key_id: string }[]) {
    keys[`t_${member.role}`] = member.key;
    keyIds[`t_${member.role}`] = member.key_id;
  }
  plainTeam = (await made(keys.a_admin as string, "/v1/teams", teamBody("plain team", [{ email: "x@plain", role: "developer" }]))).id;
  const other = await made(op, "/v1/accounts", { name: "other account" });
  accountB = other.id;
  keys.b_admin = other.key;

  from = localDate(-16);
  to = localDate(-3);
  periodFrom = localMidnight(-16).getTime();
  periodTo = localMidnight(-2).getTime();
  // Every 3 minutes from a day before the period to a day after it: who, where and what rotate independently.
  const who: [string, string, string | null][] = [
    [accountA, keyIds.a_developer as string, null],
    [accountA, keyIds.t_developer as string, evilTeam],
    [accountA, keyIds.t_admin as string, evilTeam],
    [accountA, keyIds.a_admin as string, plainTeam],
    [accountB, "key_b", null],
  ];
  const sources = ["stored", "request", "platform", "stored", "platform", "request", null];
  const models: [string, string][] = [["openai", "gpt-4o"], ["anthropic", "claude-3-5-sonnet"], ["openai", "gpt-4o-mini"], ["google", "gemini-1.5-pro"]];
  let i = 0;
  for (let at = periodFrom - 24 * HOUR; at < periodTo + 24 * HOUR; at += 3 * 60_000 + 17, i++) {
    const [accountId, apiKeyId, teamId] = who[i % who.length] as [string, string, string | null];
    const [provider, model] = models[i % models.length] as [string, string];
    const keySource = sources[i % sources.length] ?? null;
    rows.push({
      requestId: i % 50 === 0 ? `-req_${i}` : `req_${i}`, accountId, apiKeyId, teamId, projectTag: i % 3 === 0 ? "billing" : null,
      endpoint: "/v1/chat/completions", provider, model, keySource, byok: keySource === "stored" || keySource === "request",
      status: i % 17 === 0 ? 502 : 200, attempts: 1, latencyMs: 30 + ((i * 37) % 4_000), inputTokens: 50 + (i % 900),
      outputTokens: (i * 7) % 500, costMicros: keySource === "platform" ? 100 + i : 0, estimatedCostMicros: 90 + ((i * 13) % 20_000), createdAt: at,
    });
  }
  const store = openStore(gw.dbPath);
  for (let k = 0; k < rows.length; k += 500) await store.usage.insertMany(rows.slice(k, k + 500));
  store.close();
});
afterAll(async () => {
  await gw.stop();
});

type Line = Record<string, string>;
const exportBody = (extra: Record<string, unknown> = {}) => ({
  type: "all_usage", period: "custom", from, to, format: "csv", include: ["provider_breakdown", "model_breakdown", "team_breakdown", "hourly_usage"], ...extra,
});
async function csvExport(key: string, extra: Record<string, unknown> = {}, path = "/v1/billing/export"): Promise<Line[]> {
  const res = await call(key, "POST", path, exportBody(extra));
  expect(res.status).toBe(200);
  return parse(await res.text(), { columns: true }) as Line[];
}

const micros = (usd: string | number) => Math.round(Number(usd) * 1e6);
const inPeriod = (r: UsageRecord) => r.createdAt >= periodFrom && r.createdAt < periodTo;
const BYOK = (r: UsageRecord) => r.keySource === "stored" || r.keySource === "request";
function sums(list: readonly UsageRecord[]) {
  return {
    requests: list.length,
    errors: list.filter((r) => r.status >= 400).length,
    input: list.reduce((t, r) => t + (r.inputTokens ?? 0), 0),
    output: list.reduce((t, r) => t + (r.outputTokens ?? 0), 0),
    cost: list.reduce((t, r) => t + (r.costMicros ?? 0), 0),
    list: list.reduce((t, r) => t + (r.estimatedCostMicros ?? 0), 0),
  };
}
const csvSums = (line: Line | undefined) => ({
  requests: Number(line?.requests), errors: Number(line?.errors), input: Number(line?.input_tokens), output: Number(line?.output_tokens),
  cost: micros(line?.cost_usd ?? "NaN"), list: micros(line?.list_cost_usd ?? "NaN"),
});
const jsonSums = (line: Record<string, number> | undefined) => ({
  requests: line?.requests, errors: line?.errors, input: line?.input_tokens, output: line?.output_tokens,
  cost: micros(line?.cost_usd ?? Number.NaN), list: micros(line?.list_cost_usd ?? Number.NaN),
});
const requestIds = (lines: Line[]) => lines.filter((l) => l.record === "call").map((l) => l.request_id?.replace(/^'/, ""));
const idsOf = (list: UsageRecord[]) => [...list].sort((a, b) => a.createdAt - b.createdAt).map((r) => r.requestId);

describe("POST /v1/billing/export", () => {
  test("CSV: an attachment named after type and period; calls and every total equal an independent sum over the rows", async () => {
    const res = await call(gw.adminKey, "POST", "/v1/billing/export", exportBody({ type: "byok_usage", account_id: accountA }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="keyway-byok_usage-${from}-${to}.csv"`);
    const lines = parse(await res.text(), { columns: true }) as Line[];
    const mine = rows.filter((r) => inPeriod(r) && r.accountId === accountA && BYOK(r));
    expect(requestIds(lines)).toEqual(idsOf(mine));
    expect(csvSums(lines.find((l) => l.record === "total"))).toEqual(sums(mine));
    for (const [provider] of [["openai"], ["anthropic"], ["google"]]) {
      expect(csvSums(lines.find((l) => l.record === "provider" && l.provider === provider))).toEqual(sums(mine.filter((r) => r.provider === provider)));
    }
    expect(lines.filter((l) => l.record === "model")).toHaveLength(4);
    expect(csvSums(lines.find((l) => l.record === "model" && l.model === "gpt-4o-mini"))).toEqual(sums(mine.filter((r) => r.model === "gpt-4o-mini")));
    expect(csvSums(lines.find((l) => l.record === "team" && l.team_id === plainTeam))).toEqual(sums(mine.filter((r) => r.teamId === plainTeam)));
    expect(csvSums(lines.find((l) => l.record === "team" && l.team_id === ""))).toEqual(sums(mine.filter((r) => r.teamId === null)));
    const hours = lines.filter((l) => l.record === "hour");
    expect(hours.length).toBeGreaterThan(13 * 24);
    for (const line of hours.filter((_, k) => k % 7 === 0)) {
      const start = Date.parse(line.time as string);
      const end = (Math.floor(start / HOUR) + 1) * HOUR; // the first line starts with the period, mid-hour
      expect(csvSums(line)).toEqual(sums(mine.filter((r) => r.createdAt >= start && r.createdAt < end)));
    }
    const perCall = lines.filter((l) => l.record === "call");
    expect(perCall.reduce((t, l) => t + micros(l.list_cost_usd as string), 0)).toBe(sums(mine).list);
  });

  test("the JSON export has the same calls and totals as the CSV", async () => {
    const csv = await csvExport(gw.adminKey, { account_id: accountA });
    const res = await call(gw.adminKey, "POST", "/v1/billing/export", exportBody({ account_id: accountA, format: "json" }));
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="keyway-all_usage-${from}-${to}.json"`);
    const doc = (await res.json()) as Record<string, any>;
    expect(doc.period).toEqual({ from: `${from}T00:00:00.000+05:30`, to: `${localDate(-2)}T00:00:00.000+05:30`, time_zone: ZONE });
    expect(doc.calls.map((c: { request_id: string }) => c.request_id)).toEqual(requestIds(csv));
    expect(jsonSums(doc.totals)).toEqual(csvSums(csv.find((l) => l.record === "total")));
    expect(jsonSums(doc.totals)).toEqual(sums(rows.filter((r) => inPeriod(r) && r.accountId === accountA)));
    for (const line of doc.provider_breakdown as Record<string, any>[]) {
      expect(jsonSums(line)).toEqual(csvSums(csv.find((l) => l.record === "provider" && l.provider === line.provider)));
    }
    expect(doc.hourly_usage).toHaveLength(csv.filter((l) => l.record === "hour").length);
  });

  test("totals and breakdowns are the figures GET /v1/analytics/usage and /byok answer for the same period", async () => {
    for (const [type, path] of [["all_usage", "usage"], ["byok_usage", "byok"]] as const) {
      const csv = await csvExport(gw.adminKey, { type, account_id: accountA });
      const res = await call(gw.adminKey, "GET", `/v1/analytics/${path}?period=custom&from=${from}&to=${to}&group_by=provider,model,team&account_id=${accountA}`);
      expect(res.status).toBe(200);
      const answer = (await res.json()) as Record<string, any>;
      const total = csv.find((l) => l.record === "total") as Line;
      expect(answer.total_requests).toBe(Number(total.requests));
      expect(micros(answer.estimated_costs)).toBe(micros(total.list_cost_usd as string));
      if (path === "usage") expect(micros(answer.costs)).toBe(micros(total.cost_usd as string));
      expect(answer.total_tokens).toEqual({ input: Number(total.input_tokens), output: Number(total.output_tokens) });
      const figures = (line: Line | undefined) => ({ requests: Number(line?.requests), estimated_cost: micros(line?.list_cost_usd ?? "NaN") });
      const shown = (group: { requests: number; estimated_cost: number }) => ({ requests: group.requests, estimated_cost: micros(group.estimated_cost) });
      for (const group of answer.by_provider) expect(shown(group)).toEqual(figures(csv.find((l) => l.record === "provider" && l.provider === group.name)));
      for (const group of answer.by_model) {
        expect(shown(group)).toEqual(figures(csv.find((l) => l.record === "model" && l.model === group.name && l.provider === group.provider)));
      }
      for (const group of answer.by_team) expect(shown(group)).toEqual(figures(csv.find((l) => l.record === "team" && l.team_id === (group.team_id ?? ""))));
      expect(answer.by_model).toHaveLength(csv.filter((l) => l.record === "model").length);
      expect(answer.by_team).toHaveLength(csv.filter((l) => l.record === "team").length);
    }
  });

  test(`a team named ${EVIL} comes out neutralised in the CSV, as named in the JSON`, async () => {
    const lines = await csvExport(gw.adminKey, { account_id: accountA });
    const evilLines = lines.filter((l) => l.team_id === evilTeam);
    expect(evilLines.length).toBeGreaterThan(100);
    for (const line of evilLines) expect(line.team_name).toBe(`'${EVIL}`);
    const dashed = lines.filter((l) => l.record === "call" && l.request_id?.includes("-req_"));
    expect(dashed.length).toBeGreaterThan(10);
    for (const line of dashed) expect(line.request_id?.startsWith("'-req_")).toBe(true);
    const doc = (await (await call(gw.adminKey, "POST", "/v1/billing/export", exportBody({ account_id: accountA, format: "json" }))).json()) as Record<string, any>;
    expect(doc.team_breakdown.find((t: { team_id: string }) => t.team_id === evilTeam).team_name).toBe(EVIL);
  });

  test("a large export streams: read piece by piece, many chunks, every call there", async () => {
    const res = await call(gw.adminKey, "POST", "/v1/billing/export", exportBody({ include: [], format: "csv" }));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    const lines = parse(text, { columns: true }) as Line[];
    const all = rows.filter(inPeriod);
    expect(all.length).toBeGreaterThan(2 * 2_000);
    expect(chunks).toBeGreaterThan(2);
    expect(requestIds(lines)).toEqual(idsOf(all));
    expect(new Set(lines.map((l) => l.account_id))).toEqual(new Set([accountA, accountB, ""]));
  });

  test("who sees what: operator, account keys, team keys, developers", async () => {
    const period = rows.filter(inPeriod);
    const seen = async (key: string, extra: Record<string, unknown> = {}) => {
      const lines = await csvExport(key, extra);
      return { ids: requestIds(lines), total: csvSums(lines.find((l) => l.record === "total")) };
    };
    const expectSees = async (key: string, list: UsageRecord[], extra: Record<string, unknown> = {}) => {
      const got = await seen(key, extra);
      expect(got.ids).toEqual(idsOf(list));
      expect(got.total).toEqual(sums(list));
    };
    await expectSees(gw.adminKey, period);
    await expectSees(gw.adminKey, period.filter((r) => r.accountId === accountB), { account_id: accountB });
    expect((await csvExport(gw.adminKey, {}, `/v1/billing/export?account_id=${accountB}`)).filter((l) => l.record === "call").every((l) => l.account_id === accountB)).toBe(true);
    const inA = period.filter((r) => r.accountId === accountA);
    await expectSees(keys.a_admin as string, inA);
    await expectSees(keys.a_viewer as string, inA);
    await expectSees(keys.b_admin as string, period.filter((r) => r.accountId === accountB));
    await expectSees(keys.a_developer as string, inA.filter((r) => r.apiKeyId === keyIds.a_developer));
    await expectSees(keys.t_admin as string, inA.filter((r) => r.teamId === evilTeam));
    await expectSees(keys.t_viewer as string, inA.filter((r) => r.teamId === evilTeam));
    await expectSees(keys.t_developer as string, inA.filter((r) => r.apiKeyId === keyIds.t_developer));
    await expectSees(keys.a_admin as string, inA, { account_id: accountA });
  });

  test("naming an account outside the caller's reach is a 404; no key is a 401", async () => {
    for (const key of [keys.a_admin, keys.a_developer, keys.t_admin, keys.t_viewer] as string[]) {
      const res = await call(key, "POST", "/v1/billing/export", exportBody({ account_id: accountB }));
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe("account_id");
    }
    expect((await call(keys.b_admin as string, "POST", `/v1/billing/export?account_id=${accountA}`, exportBody())).status).toBe(404);
    expect((await call(gw.adminKey, "POST", "/v1/billing/export", exportBody({ account_id: "acc_nope" }))).status).toBe(404);
    const anonymous = await fetch(`${gw.url}/v1/billing/export`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(exportBody()) });
    expect(anonymous.status).toBe(401);
  });

  test("bad input is a 400 naming the field", async () => {
    const cases: [unknown, string | null][] = [
      [{ ...exportBody(), type: "byok" }, "type"],
      [{ period: "today" }, "type"],
      [{ ...exportBody(), format: "xlsx" }, "format"],
      [{ ...exportBody(), include: ["provider_breakdown", "everything"] }, "include"],
      [{ type: "all_usage", period: "last_year" }, "period"],
      [{ ...exportBody(), from: to, to: from }, "from"],
      [{ ...exportBody(), from: "2024-01-01", to: "2025-03-01" }, "to"],
      [{ ...exportBody(), to: "soon" }, "to"],
      [{ ...exportBody(), extra: 1 }, "extra"],
      ["{not json", null],
      ["[1, 2]", null],
    ];
    for (const [body, param] of cases) {
      const res = await call(gw.adminKey, "POST", "/v1/billing/export", body);
      const answer = (await res.json()) as { error: { type: string; param: string | null; message: string } };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(answer.error.param, JSON.stringify(body)).toBe(param);
    }
  });
});
