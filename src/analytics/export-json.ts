// The JSON export: one object written piece by piece (meta, then the `calls` array a page at a time, then the
// summary sections asked and `totals`), so it streams like the CSV. Money is USD numbers from integer micro-USD.
import { describePeriod } from "./periods.ts";
import type { ExportSection } from "./export-request.ts";
import { averageLatencyMs, type SummaryLine, type UsageTotals } from "./export-totals.ts";
import type { ExportCall, ExportMeta, ExportWriter } from "./export-writer.ts";
import { usdNumber, zonedIsoFormatter } from "./export-format.ts";

const totalsFields = (totals: UsageTotals) => ({
  requests: totals.requests,
  errors: totals.errors,
  input_tokens: totals.inputTokens,
  output_tokens: totals.outputTokens,
  cost_usd: usdNumber(totals.costMicros),
  list_cost_usd: usdNumber(totals.listCostMicros),
  avg_latency_ms: averageLatencyMs(totals),
});

export function jsonExportWriter(timeZone: string): ExportWriter {
  const iso = zonedIsoFormatter(timeZone);
  let firstCall = true;
  let callsOpen = true;
  /** Ends the `calls` array, the first time a later part is written. */
  const closeCalls = (): string => {
    if (!callsOpen) return "";
    callsOpen = false;
    return firstCall ? "]" : "\n]";
  };
  const summaryLine = (section: ExportSection, line: SummaryLine, teamName: (teamId: string) => string | null) => {
    switch (section) {
      case "provider_breakdown":
        return { provider: line.provider ?? null, ...totalsFields(line.totals) };
      case "model_breakdown":
        return { provider: line.provider ?? null, model: line.model ?? null, ...totalsFields(line.totals) };
      case "team_breakdown":
        return { team_id: line.teamId ?? null, team_name: line.teamId ? teamName(line.teamId) : null, ...totalsFields(line.totals) };
      case "hourly_usage":
        return { hour: iso(line.hour ?? 0), ...totalsFields(line.totals) };
    }
  };
  return {
    contentType: "application/json; charset=utf-8",
    extension: "json",
    begin: (meta: ExportMeta) => {
      const head = JSON.stringify({
        object: "billing_export",
        type: meta.type,
        period: describePeriod(meta.period),
        account_id: meta.accountId ?? null,
        generated_at: new Date(meta.generatedAt).toISOString(),
      });
      return `${head.slice(0, -1)},"calls":[`;
    },
    calls: (calls: readonly ExportCall[]) => {
      let out = "";
      for (const { row, teamName } of calls) {
        out += firstCall ? "\n" : ",\n";
        firstCall = false;
        out += JSON.stringify({
          time: iso(row.createdAt),
          request_id: row.requestId,
          account_id: row.accountId,
          api_key_id: row.apiKeyId,
          team_id: row.teamId,
          team_name: teamName,
          project: row.projectTag,
          provider: row.provider,
          model: row.model,
          key_source: row.keySource,
          status: row.status,
          input_tokens: row.inputTokens,
          output_tokens: row.outputTokens,
          cost_usd: usdNumber(row.costMicros),
          list_cost_usd: usdNumber(row.estimatedCostMicros),
          latency_ms: row.latencyMs,
        });
      }
      return out;
    },
    section: (section: ExportSection, lines: readonly SummaryLine[], teamName: (teamId: string) => string | null) =>
      `${closeCalls()},${JSON.stringify(section)}:${JSON.stringify(lines.map((line) => summaryLine(section, line, teamName)))}`,
    end: (total: UsageTotals) => `${closeCalls()},"totals":${JSON.stringify(totalsFields(total))}}\n`,
  };
}
