// The contract of an export file writer (CSV or JSON): the file's text, produced piece by piece (a start, pages of
// calls, summary sections, an end) so an export streams whatever its size. Picks the writer of a format.
import type { StoredUsage } from "../store/repositories/usage.ts";
import type { ExportFormat, ExportSection, ExportType } from "./export-request.ts";
import type { SummaryLine, UsageTotals } from "./export-totals.ts";
import type { Period } from "./periods.ts";
import { csvExportWriter } from "./export-csv.ts";
import { jsonExportWriter } from "./export-json.ts";

export interface ExportMeta {
  type: ExportType;
  period: Period;
  /** The one account exported, or undefined for every account (the operator's export). */
  accountId?: string;
  generatedAt: number;
}

/** A raw usage row with its team's name (null without a team, or when the team is gone). */
export interface ExportCall {
  row: StoredUsage;
  teamName: string | null;
}

export interface ExportWriter {
  readonly contentType: string;
  readonly extension: string;
  begin(meta: ExportMeta): string;
  /** One page of calls, in order; called zero or more times, after begin. */
  calls(calls: readonly ExportCall[]): string;
  /** A summary section, after every call. */
  section(section: ExportSection, lines: readonly SummaryLine[], teamName: (teamId: string) => string | null): string;
  /** The grand total and whatever closes the file. */
  end(total: UsageTotals): string;
}

export function writerFor(format: ExportFormat, timeZone: string): ExportWriter {
  return format === "csv" ? csvExportWriter(timeZone) : jsonExportWriter(timeZone);
}
