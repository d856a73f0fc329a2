// The CSV export (RFC 4180, through csv-stringify): one header for every line, a first column `record` naming what
// the line is (call, provider, model, team, hour, total), calls first, then the summary sections, the total last.
// Text cells are neutralised against formula injection; numbers (tokens, USD with six decimals, ms) never are.
import { stringify } from "csv-stringify/sync";
import type { ExportSection } from "./export-request.ts";
import { averageLatencyMs, type SummaryLine, type UsageTotals } from "./export-totals.ts";
import type { ExportCall, ExportWriter } from "./export-writer.ts";
import { usdText, zonedIsoFormatter } from "./export-format.ts";
import { neutraliseCell } from "./export-neutralise.ts";

export const CSV_COLUMNS = [
  "record", "time", "request_id", "account_id", "api_key_id", "team_id", "team_name", "project", "provider", "model", "key_source",
  "status", "requests", "errors", "input_tokens", "output_tokens", "cost_usd", "list_cost_usd", "latency_ms", "avg_latency_ms",
] as const;

/** The `record` value of each summary section's lines. */
export const CSV_RECORD_OF: Readonly<Record<ExportSection, string>> = {
  provider_breakdown: "provider",
  model_breakdown: "model",
  team_breakdown: "team",
  hourly_usage: "hour",
};

export type Cell = string | number;

const text = (value: string | null | undefined): string => (value === null || value === undefined ? "" : neutraliseCell(value));

const RECORD_DELIMITER = "\r\n";

/** A cell RFC 4180 must quote: it holds a quote, a comma or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV line. A line with a cell that needs quoting goes through csv-stringify; a line of plain cells is the
 * cells joined by commas, which is byte for byte what csv-stringify writes for it (test/analytics/export-csv.test.ts
 * holds them to that) at a tenth of the cost: a million calls would otherwise spend the whole time budget quoting
 * nothing.
 */
export function csvLine(cells: readonly Cell[]): string {
  for (const cell of cells) {
    if (typeof cell === "string" && NEEDS_QUOTES.test(cell)) return stringify([cells as Cell[]], { record_delimiter: RECORD_DELIMITER });
  }
  return cells.join(",") + RECORD_DELIMITER;
}

const lines = (cells: readonly Cell[][]): string => {
  let out = "";
  for (const line of cells) out += csvLine(line);
  return out;
};

export function csvExportWriter(timeZone: string): ExportWriter {
  const iso = zonedIsoFormatter(timeZone);
  const totalsCells = (totals: UsageTotals): Cell[] => [
    totals.requests, totals.errors, totals.inputTokens, totals.outputTokens, usdText(totals.costMicros), usdText(totals.listCostMicros), "",
    averageLatencyMs(totals),
  ];
  return {
    contentType: "text/csv; charset=utf-8",
    extension: "csv",
    begin: () => lines([[...CSV_COLUMNS]]),
    calls: (calls: readonly ExportCall[]) =>
      lines(
        calls.map(({ row, teamName }) => [
          "call", text(iso(row.createdAt)), text(row.requestId), text(row.accountId), text(row.apiKeyId), text(row.teamId), text(teamName),
          text(row.projectTag), text(row.provider), text(row.model), text(row.keySource), row.status, 1, row.status >= 400 ? 1 : 0,
          row.inputTokens, row.outputTokens, usdText(row.costMicros), usdText(row.estimatedCostMicros), row.latencyMs, "",
        ]),
      ),
    section: (section: ExportSection, summary: readonly SummaryLine[], teamName: (teamId: string) => string | null) =>
      lines(
        summary.map((line) => [
          CSV_RECORD_OF[section], line.hour === undefined ? "" : text(iso(line.hour)), "", "", "", text(line.teamId),
          line.teamId ? text(teamName(line.teamId)) : "", "", text(line.provider), text(line.model), "", "", ...totalsCells(line.totals),
        ]),
      ),
    end: (total: UsageTotals) => lines([["total", "", "", "", "", "", "", "", "", "", "", "", ...totalsCells(total)]]),
  };
}
