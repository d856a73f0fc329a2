// The CSV and JSON export writers: what a CSV parser and JSON.parse read back from their pieces, quoting held to
// csv-stringify's, formula cells neutralised and numbers never.
import { describe, expect, test } from "bun:test";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { CSV_COLUMNS, type Cell, csvExportWriter, csvLine } from "../../src/analytics/export-csv.ts";
import { jsonExportWriter } from "../../src/analytics/export-json.ts";
import type { ExportCall, ExportWriter } from "../../src/analytics/export-writer.ts";
import type { SummaryLine, UsageTotals } from "../../src/analytics/export-totals.ts";
import { resolvePeriod } from "../../src/analytics/periods.ts";
import type { StoredUsage } from "../../src/store/repositories/usage.ts";

const period = resolvePeriod({ from: "2025-03-01", to: "2025-03-31" }, "Europe/Berlin");
const at = Date.UTC(2025, 2, 30, 0, 30); // 01:30 CET, before the spring change

function usage(fields: Partial<StoredUsage>): StoredUsage {
  return {
    id: 1, requestId: "req_1", accountId: "acc_1", apiKeyId: "key_1", teamId: null, projectTag: null, endpoint: "/v1/chat/completions",
    provider: "openai", model: "gpt-4o", keySource: "stored", byok: true, status: 200, inputTokens: 10, outputTokens: 5, usageEstimated: false,
    costMicros: 0, estimatedCostMicros: 1_500, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, attempts: 1, latencyMs: 120, createdAt: at, ...fields,
  };
}

const calls: ExportCall[] = [
  { row: usage({}), teamName: null },
  {
    row: usage({ id: 2, requestId: "-req", teamId: "team_1", projectTag: '+proj, "quoted"\nline', model: "@model", keySource: "platform", status: 502, costMicros: 2_000_001, estimatedCostMicros: 1_000_000, latencyMs: 30_000 }),
    teamName: '=HYPERLINK("http://x","y")',
  },
];
const totals = (requests: number, costMicros: number): UsageTotals => ({
  requests, errors: 1, inputTokens: 20, outputTokens: 10, costMicros, listCostMicros: 1_001_500, latencyMsSum: 30_120,
});
const providerLines: SummaryLine[] = [{ provider: "openai", totals: totals(2, 2_000_001) }];
const teamLines: SummaryLine[] = [{ teamId: null, totals: totals(1, 0) }, { teamId: "team_1", totals: totals(1, 2_000_001) }];
const hourLines: SummaryLine[] = [{ hour: Date.UTC(2025, 2, 30, 0), totals: totals(2, 2_000_001) }];
const teamName = (id: string) => (id === "team_1" ? '=HYPERLINK("http://x","y")' : null);

function write(writer: ExportWriter, pages: ExportCall[][]): string {
  let out = writer.begin({ type: "all_usage", period, accountId: "acc_1", generatedAt: Date.UTC(2025, 3, 1) });
  for (const page of pages) out += writer.calls(page);
  out += writer.section("provider_breakdown", providerLines, teamName);
  out += writer.section("team_breakdown", teamLines, teamName);
  out += writer.section("hourly_usage", hourLines, teamName);
  return out + writer.end(totals(2, 2_000_001));
}

describe("CSV export writer", () => {
  const text = write(csvExportWriter("Europe/Berlin"), [calls.slice(0, 1), [], calls.slice(1)]);
  const records = parse(text, { columns: true }) as Record<(typeof CSV_COLUMNS)[number], string>[];

  test("one header; calls, then the sections, then the total, each line naming its record kind", () => {
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    expect(records.map((r) => r.record)).toEqual(["call", "call", "provider", "team", "team", "hour", "total"]);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  test("call lines: local time, ids, USD with six decimals, tokens and latency as numbers", () => {
    expect(records[0]).toMatchObject({
      time: "2025-03-30T01:30:00.000+01:00", request_id: "req_1", account_id: "acc_1", api_key_id: "key_1", team_id: "", team_name: "",
      project: "", provider: "openai", model: "gpt-4o", key_source: "stored", status: "200", requests: "1", errors: "0", input_tokens: "10",
      output_tokens: "5", cost_usd: "0.000000", list_cost_usd: "0.001500", latency_ms: "120", avg_latency_ms: "",
    });
    expect(records[1]).toMatchObject({ status: "502", errors: "1", cost_usd: "2.000001", list_cost_usd: "1.000000", latency_ms: "30000" });
  });

  test("text cells that start a formula are neutralised, quotes and line breaks survive the round trip", () => {
    expect(records[1]?.team_name).toBe(`'=HYPERLINK("http://x","y")`);
    expect(records[1]?.request_id).toBe("'-req");
    expect(records[1]?.model).toBe("'@model");
    expect(records[1]?.project).toBe(`'+proj, "quoted"\nline`);
    expect(records[4]?.team_name).toBe(`'=HYPERLINK("http://x","y")`);
  });

  test("summary lines: what they total, sums and the mean latency", () => {
    expect(records[2]).toMatchObject({ provider: "openai", requests: "2", errors: "1", cost_usd: "2.000001", list_cost_usd: "1.001500", avg_latency_ms: "15060", latency_ms: "" });
    expect(records[3]).toMatchObject({ team_id: "", team_name: "", requests: "1", cost_usd: "0.000000" });
    expect(records[5]).toMatchObject({ time: "2025-03-30T01:00:00.000+01:00", requests: "2" });
    expect(records[6]).toMatchObject({ record: "total", time: "", requests: "2", input_tokens: "20", output_tokens: "10", cost_usd: "2.000001" });
  });

  test("numbers are never neutralised, negative ones included", () => {
    expect(csvExportWriter("UTC").end({ ...totals(1, -1_500_000), inputTokens: -3 })).toBe("total,,,,,,,,,,,,1,1,-3,10,-1.500000,1.001500,,30120\r\n");
  });

  test("each line is byte for byte what csv-stringify writes", () => {
    const lines: Cell[][] = [
      ["plain", 1, 0, "", "0.000001", "2025-03-30T01:30:00.000+01:00"],
      ["a,b", 'say "hi"', "two\nlines", "cr\rhere", "crlf\r\nhere", ""],
      ["", "", ""],
      ["'=x", " lead", "trail ", "ünïcödé ✓", "tab\tin", 12345678901],
      ['"', ",", "\n"],
    ];
    for (const line of lines) expect(csvLine(line)).toBe(stringify([line], { record_delimiter: "\r\n" }));
  });
});

describe("JSON export writer", () => {
  test("pieces form one JSON document: meta, calls in order, the sections asked, totals", () => {
    const doc = JSON.parse(write(jsonExportWriter("Europe/Berlin"), [calls.slice(0, 1), [], calls.slice(1)]));
    expect(doc).toMatchObject({
      object: "billing_export", type: "all_usage", account_id: "acc_1", generated_at: "2025-04-01T00:00:00.000Z",
      period: { from: "2025-03-01T00:00:00.000+01:00", to: "2025-04-01T00:00:00.000+02:00", time_zone: "Europe/Berlin" },
    });
    expect(doc.calls).toHaveLength(2);
    expect(doc.calls[1]).toEqual({
      time: "2025-03-30T01:30:00.000+01:00", request_id: "-req", account_id: "acc_1", api_key_id: "key_1", team_id: "team_1",
      team_name: '=HYPERLINK("http://x","y")', project: '+proj, "quoted"\nline', provider: "openai", model: "@model", key_source: "platform",
      status: 502, input_tokens: 10, output_tokens: 5, cost_usd: 2.000001, list_cost_usd: 1, latency_ms: 30_000,
    });
    expect(doc.provider_breakdown).toEqual([{ provider: "openai", requests: 2, errors: 1, input_tokens: 20, output_tokens: 10, cost_usd: 2.000001, list_cost_usd: 1.0015, avg_latency_ms: 15_060 }]);
    expect(doc.team_breakdown.map((t: { team_id: string | null; team_name: string | null }) => [t.team_id, t.team_name])).toEqual([[null, null], ["team_1", '=HYPERLINK("http://x","y")']]);
    expect(doc.hourly_usage[0].hour).toBe("2025-03-30T01:00:00.000+01:00");
    expect(doc.model_breakdown).toBeUndefined();
    expect(doc.totals).toMatchObject({ requests: 2, cost_usd: 2.000001 });
  });

  test("an export without calls or sections is still one document", () => {
    const writer = jsonExportWriter("UTC");
    const doc = JSON.parse(writer.begin({ type: "byok_usage", period, generatedAt: 0 }) + writer.end(totals(0, 0)));
    expect(doc.calls).toEqual([]);
    expect(doc.account_id).toBeNull();
    expect(doc.totals.requests).toBe(0);
  });
});
