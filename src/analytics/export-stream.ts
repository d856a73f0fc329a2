// A billing export as a file: its name, content type and a byte stream that pulls one page of raw usage rows at a
// time (keyset paging, so memory stays flat for millions of rows), then writes the summary sections and the total.
// The HTTP route and the CLI both export through here.
import type { Store } from "../store/store.ts";
import type { StoredUsage, UsageCursor, UsagePageFilter } from "../store/repositories/usage.ts";
import { TZDate } from "@date-fns/tz";
import { addRollupTotals, type ExportScope, hourSources, rollupSlice } from "./export-ledger.ts";
import { type ExportRequest, KEY_SOURCES_OF } from "./export-request.ts";
import { garbageCollector } from "./export-memory.ts";
import { teamNames } from "./export-team-names.ts";
import { SummaryAccumulator } from "./export-totals.ts";
import { writerFor } from "./export-writer.ts";

/** Raw rows read per page: large enough to amortise the query, small enough to keep memory flat. */
export const EXPORT_PAGE_ROWS = 2_000;

export type ExportStore = Pick<Store, "usage" | "usageRollups" | "teams">;

export interface ExportOptions {
  pageRows?: number;
  /** Called after each page with the number of calls written so far. */
  onProgress?: (calls: number) => void;
  now?: number;
  /** Raw rows older than this (epoch ms) may have been pruned (now minus usage.retention_days). */
  rawRowsSince?: number;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The period's bounds for a file name: local dates (the last day included) when both bounds are local midnights,
 * otherwise local date-times to the minute (2025-07-01T0930).
 */
function fileBounds(from: number, to: number, timeZone: string): [string, string] {
  const local = (at: number) => new TZDate(at, timeZone);
  const isMidnight = (d: TZDate) => d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0;
  const date = (d: TZDate) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const start = local(from);
  const end = local(to);
  if (isMidnight(start) && isMidnight(end)) return [date(start), date(local(to - 1))];
  const minute = (d: TZDate) => `${date(d)}T${pad(d.getHours())}${pad(d.getMinutes())}`;
  return [minute(start), minute(end)];
}

export function exportFileName(request: Pick<ExportRequest, "type" | "period" | "format">): string {
  const [from, to] = fileBounds(request.period.from, request.period.to, request.period.timeZone);
  return `keyway-${request.type}-${from}-${to}.${request.format}`;
}

/** The raw-row filter of an export: its period, its type's key sources, the caller's scope. */
export function rowFilter(request: ExportRequest, scope: ExportScope): UsagePageFilter {
  const keySources = KEY_SOURCES_OF[request.type];
  return { from: request.period.from, to: request.period.to, ...scope, ...(keySources ? { keySources } : {}) };
}

/** The export's text, piece by piece: the writer's start, a page of calls at a time, the sections, the end. */
async function* exportText(store: ExportStore, request: ExportRequest, scope: ExportScope, options: ExportOptions): AsyncGenerator<string> {
  const writer = writerFor(request.format, request.period.timeZone);
  const totals = new SummaryAccumulator();
  const names = teamNames(store.teams);
  const hours = hourSources(request.period, scope, options.rawRowsSince);
  const filter = rowFilter(request, scope);
  const pageRows = options.pageRows ?? EXPORT_PAGE_ROWS;
  yield writer.begin({ type: request.type, period: request.period, accountId: scope.accountId, generatedAt: options.now ?? Date.now() });
  let after: UsageCursor | undefined;
  let written = 0;
  const afterPage = garbageCollector();
  for (;;) {
    const page: StoredUsage[] = await store.usage.pageForExport(filter, after, pageRows);
    if (page.length === 0) break;
    await names.load(page.map((row) => row.teamId));
    for (const row of page) if (!hours.fromRollup(row.createdAt)) totals.addRow(row);
    yield writer.calls(page.map((row) => ({ row, teamName: row.teamId === null ? null : names.name(row.teamId) })));
    written += page.length;
    options.onProgress?.(written);
    afterPage(page.length);
    if (page.length < pageRows) break;
    const last = page[page.length - 1] as StoredUsage;
    after = { createdAt: last.createdAt, id: last.id };
  }
  await addRollupTotals(store.usageRollups, rollupSlice(scope, request.type), hours, totals);
  const summary = totals.summary();
  await names.load(summary.byTeam.map((line) => line.teamId ?? null));
  // An hour the period starts part-way through is shown from the period's start.
  const byHour = summary.byHour.map((line) => ({ ...line, hour: Math.max(line.hour ?? 0, request.period.from) }));
  const lines = { provider_breakdown: summary.byProvider, model_breakdown: summary.byModel, team_breakdown: summary.byTeam, hourly_usage: byHour };
  for (const section of request.include) yield writer.section(section, lines[section], names.name);
  yield writer.end(summary.total);
}

/** A pull stream over text pieces: the next piece is produced only when the reader asks for more (backpressure). */
function pullStream(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const next = await pieces.next();
          if (next.done) return controller.close();
          if (next.value !== "") return controller.enqueue(encoder.encode(next.value));
        }
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}

const DAY_MS = 86_400_000;

/** Since when raw rows are all there: `now` minus usage.retention_days. */
export function rawRowsSince(retentionDays: number, now = Date.now()): number {
  return now - retentionDays * DAY_MS;
}

/** The export file of a checked request within the caller's scope (the scope's account is the one exported). */
export function exportFile(store: ExportStore, request: ExportRequest, scope: ExportScope, options: ExportOptions = {}): ExportFile {
  const writer = writerFor(request.format, request.period.timeZone);
  return {
    filename: exportFileName(request),
    contentType: writer.contentType,
    body: pullStream(exportText(store, request, scope, options)),
  };
}
