// The export stream over a real SQLite store: call lines are the period's raw rows, summary totals equal an
// independent sum (rollups for whole hours, raw rows at the edges), hours pruned by retention still counted,
// scopes and types honoured, pages pulled only as the reader reads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { exportFile, exportFileName, type ExportStore } from "../../src/analytics/export-stream.ts";
import { garbageCollector } from "../../src/analytics/export-memory.ts";
import { type ExportRequest, parseExportRequest } from "../../src/analytics/export-request.ts";
import type { ExportScope } from "../../src/analytics/export-ledger.ts";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";

const HOUR = 3_600_000;
const ZONE = "Asia/Kolkata"; // +05:30: local bounds fall mid-way through UTC hours
const dir = mkdtempSync(join(tmpdir(), "keyway-export-"));
let store: Store;
let accountA: string;
let accountB: string;
const rows: UsageRecord[] = [];
// 2025-06-10 00:00 to 2025-06-12 00:00 in Kolkata = 2025-06-09T18:30Z to 2025-06-11T18:30Z.
const FROM = Date.UTC(2025, 5, 9, 18, 30);
const TO = Date.UTC(2025, 5, 11, 18, 30);

beforeAll(async () => {
  store = openStore(join(dir, "keyway.db"));
  accountA = (await store.accounts.create("export a")).id;
  accountB = (await store.accounts.create("export b")).id;
  const sources = ["stored", "request", "platform", null];
  // Every 7 minutes from 2 hours before the period to 2 hours after it, both accounts.
  let i = 0;
  for (let at = FROM - 2 * HOUR; at < TO + 2 * HOUR; at += 7 * 60_000 + 11, i++) {
    rows.push({
      requestId: `req_${i}`, accountId: i % 5 === 0 ? accountB : accountA, apiKeyId: i % 4 === 0 ? "key_dev" : "key_other",
      teamId: i % 3 === 0 ? null : `team_${i % 3}`, projectTag: i % 2 ? "alpha" : null, endpoint: "/v1/chat/completions",
      provider: i % 2 ? "openai" : "anthropic", model: i % 2 ? "gpt-4o" : "claude", keySource: sources[i % 4] ?? null, byok: i % 4 < 2,
      status: i % 9 === 0 ? 502 : 200, attempts: 1, latencyMs: 20 + (i % 300), inputTokens: 100 + i, outputTokens: i % 77,
      costMicros: i % 4 === 2 ? 1_000 + i : 0, estimatedCostMicros: 777 + 3 * i, createdAt: at,
    });
  }
  for (let k = 0; k < rows.length; k += 100) await store.usage.insertMany(rows.slice(k, k + 100));
  await store.teams.create(
    { id: "team_1", accountId: accountA, name: '=HYPERLINK("http://x","y")', permissions: {}, usageControls: {}, ipAllowlist: null, createdAt: 0 },
    [],
    [],
  );
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (body: Record<string, unknown>): ExportRequest =>
  parseExportRequest({ from: "2025-06-10", to: "2025-06-11", include: ["provider_breakdown", "model_breakdown", "team_breakdown", "hourly_usage"], ...body }, ZONE);

async function csvOf(req: ExportRequest, scope: ExportScope, exportStore: ExportStore = store, pageRows = 50) {
  const text = await new Response(exportFile(exportStore, req, scope, { pageRows }).body).text();
  return parse(text, { columns: true, cast: false }) as Record<string, string>[];
}

const micros = (usd: string) => Math.round(Number(usd) * 1e6);
const sum = (list: readonly UsageRecord[], pick: (row: UsageRecord) => number) => list.reduce((total, row) => total + pick(row), 0);

/** Totals of rows computed here: the figures every summary line must show. */
function expected(list: readonly UsageRecord[]) {
  return {
    requests: list.length, errors: list.filter((r) => r.status >= 400).length, input: sum(list, (r) => r.inputTokens ?? 0),
    output: sum(list, (r) => r.outputTokens ?? 0), cost: sum(list, (r) => r.costMicros ?? 0), list: sum(list, (r) => r.estimatedCostMicros ?? 0),
  };
}
const shown = (line: Record<string, string> | undefined) => ({
  requests: Number(line?.requests), errors: Number(line?.errors), input: Number(line?.input_tokens), output: Number(line?.output_tokens),
  cost: micros(line?.cost_usd ?? ""), list: micros(line?.list_cost_usd ?? ""),
});
const inPeriod = (r: UsageRecord) => r.createdAt >= FROM && r.createdAt < TO;

describe("export stream", () => {
  test("the file name carries the type and the period's local dates", () => {
    expect(exportFileName(request({ type: "byok_usage", format: "csv" }))).toBe("keyway-byok_usage-2025-06-10-2025-06-11.csv");
    expect(exportFileName(parseExportRequest({ type: "all_usage", format: "json", from: "2025-06-10T09:15:00+05:30", to: "2025-06-10T18:00:00Z" }, ZONE)))
      .toBe("keyway-all_usage-2025-06-10T0915-2025-06-10T2330.json");
  });

  test("all accounts, byok: call lines are the rows, every summary section equals an independent sum", async () => {
    const byok = rows.filter((r) => inPeriod(r) && (r.keySource === "stored" || r.keySource === "request"));
    const lines = await csvOf(request({ type: "byok_usage" }), {});
    const callLines = lines.filter((l) => l.record === "call");
    expect(callLines.map((l) => l.request_id)).toEqual([...byok].sort((a, b) => a.createdAt - b.createdAt).map((r) => r.requestId));
    expect(shown(lines.find((l) => l.record === "total"))).toEqual(expected(byok));
    for (const provider of ["openai", "anthropic"]) {
      expect(shown(lines.find((l) => l.record === "provider" && l.provider === provider))).toEqual(expected(byok.filter((r) => r.provider === provider)));
    }
    expect(shown(lines.find((l) => l.record === "model" && l.model === "claude"))).toEqual(expected(byok.filter((r) => r.model === "claude")));
    const team1 = lines.find((l) => l.record === "team" && l.team_id === "team_1");
    expect(team1?.team_name).toBe(`'=HYPERLINK("http://x","y")`);
    expect(shown(team1)).toEqual(expected(byok.filter((r) => r.teamId === "team_1")));
    expect(shown(lines.find((l) => l.record === "team" && l.team_id === ""))).toEqual(expected(byok.filter((r) => r.teamId === null)));
    const hours = lines.filter((l) => l.record === "hour");
    // The period starts and ends at :30 UTC: 47 whole UTC hours plus the two half hours at the edges, the first shown from the period's start.
    expect(hours).toHaveLength(49);
    expect(hours[0]?.time).toBe("2025-06-10T00:00:00.000+05:30");
    expect(hours[1]?.time).toBe("2025-06-10T00:30:00.000+05:30");
    for (const line of hours) {
      const start = Date.parse(line.time ?? "");
      const end = (Math.floor(start / HOUR) + 1) * HOUR;
      expect(shown(line)).toEqual(expected(byok.filter((r) => r.createdAt >= start && r.createdAt < end)));
    }
  });

  test("one account, platform calls; a team's scope; a developer key's scope (raw rows only)", async () => {
    const platformA = rows.filter((r) => inPeriod(r) && r.accountId === accountA && r.keySource === "platform");
    const platform = await csvOf(request({ type: "platform_usage" }), { accountId: accountA });
    expect(platform.filter((l) => l.record === "call")).toHaveLength(platformA.length);
    expect(shown(platform.find((l) => l.record === "total"))).toEqual(expected(platformA));

    const team = rows.filter((r) => inPeriod(r) && r.accountId === accountA && r.teamId === "team_2");
    const teamLines = await csvOf(request({ type: "all_usage" }), { accountId: accountA, teamId: "team_2" });
    expect(new Set(teamLines.filter((l) => l.record === "call").map((l) => l.team_id))).toEqual(new Set(["team_2"]));
    expect(shown(teamLines.find((l) => l.record === "total"))).toEqual(expected(team));
    expect(teamLines.filter((l) => l.record === "team").map((l) => l.team_id)).toEqual(["team_2"]);

    const mine = rows.filter((r) => inPeriod(r) && r.accountId === accountA && r.apiKeyId === "key_dev");
    const keyLines = await csvOf(request({ type: "all_usage" }), { accountId: accountA, apiKeyId: "key_dev" });
    expect(keyLines.filter((l) => l.record === "call")).toHaveLength(mine.length);
    expect(shown(keyLines.find((l) => l.record === "total"))).toEqual(expected(mine));
  });

  test("after retention pruned the first day's raw rows, hourly lines and totals still cover it; calls do not", async () => {
    const cutoff = FROM + 24 * HOUR;
    const all = rows.filter((r) => inPeriod(r) && r.accountId === accountB);
    const before = await csvOf(request({ type: "all_usage" }), { accountId: accountB });
    while ((await store.usage.pruneBefore(cutoff, 500)) > 0);
    const after = await csvOf(request({ type: "all_usage" }), { accountId: accountB });
    expect(after.filter((l) => l.record === "call")).toHaveLength(all.filter((r) => r.createdAt >= cutoff).length);
    // The whole pruned hours keep their rollups; only the half hour at the period's start, read from raw rows, is gone.
    const lost = all.filter((r) => r.createdAt < Math.ceil(FROM / HOUR) * HOUR);
    expect(shown(after.find((l) => l.record === "total"))).toEqual(expected(all.filter((r) => !lost.includes(r))));
    expect(after.filter((l) => l.record === "hour")).toEqual(before.filter((l) => l.record === "hour").slice(1));
  });

  test("pages are read only as fast as the reader reads (pull)", async () => {
    let pages = 0;
    const counting: ExportStore = { ...store, usage: { ...store.usage, pageForExport: (...args) => (pages++, store.usage.pageForExport(...args)) } };
    const reader = exportFile(counting, request({ type: "all_usage", format: "json" }), {}, { pageRows: 10 }).body.getReader();
    await reader.read(); // the JSON head
    await reader.read(); // the first page of calls
    await Bun.sleep(20);
    expect(pages).toBeLessThanOrEqual(2);
    let chunks = 2;
    while (!(await reader.read()).done) chunks++;
    expect(pages).toBeGreaterThan(10);
    expect(chunks).toBeGreaterThan(pages);
  });

  test("a forced collection every so many rows, not on every page", () => {
    let collections = 0;
    const afterPage = garbageCollector(1_000, () => collections++);
    for (let page = 0; page < 10; page++) afterPage(300);
    expect(collections).toBe(3);
  });
});
