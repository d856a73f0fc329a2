// The analytics endpoints' answers from a caller's scope and the query: the period on budgets.time_zone's
// calendar, the filters, groups and time buckets, the aggregations (usage-aggregate.ts), then the answer's shape.
import type { Store } from "../store/store.ts";
import type { UsageSlice } from "../store/repositories/usage-rollups.ts";
import { BYOK_KEY_SOURCES, GROUP_NAMES, type GroupName, parseFilters, parseGroupBy } from "./analytics-params.ts";
import { compareCosts, costComparisonAnswer } from "./cost-comparison.ts";
import { resolvePeriod } from "./periods.ts";
import { bucketsOf, parseBucket } from "./time-buckets.ts";
import { aggregateUsage } from "./usage-aggregate.ts";
import { total } from "../store/usage-groups.ts";
import { dimensionsFor, usageReport } from "./usage-report.ts";

const DAY_MS = 86_400_000;

/** Whose usage a caller may see: every account, one account, one team of it, or one keyway key's own calls. */
export interface AnalyticsScope {
  accountId?: string;
  teamId?: string;
  apiKeyId?: string;
}

export interface AnalyticsSettings {
  store: Pick<Store, "usage" | "usageRollups" | "teams">;
  /** budgets.time_zone: the calendar periods are computed on. */
  timeZone: string;
  /** usage.retention_days: raw rows older than this may be gone. */
  retentionDays: number;
  /** platform.byok_fee_percent and platform.markup_percent, in basis points. */
  byokFeeBps: number;
  markupBps: number;
  now?: () => number;
}

/** Default groups when group_by is absent. */
export const DEFAULT_GROUP_BY: readonly GroupName[] = ["provider", "model"];
const BYOK_GROUPS = GROUP_NAMES.filter((g) => g !== "key_source");

function sliceOf(scope: AnalyticsScope, filters: ReturnType<typeof parseFilters>, keySources: readonly string[] | undefined): UsageSlice {
  return {
    accountId: scope.accountId,
    teamId: scope.teamId ?? filters.teamId,
    projectTag: filters.project,
    provider: filters.provider,
    keySources,
  };
}

function common(settings: AnalyticsSettings, query: URLSearchParams) {
  const now = (settings.now ?? Date.now)();
  const period = resolvePeriod({ period: query.get("period"), from: query.get("from"), to: query.get("to") }, settings.timeZone, now);
  return { now, period, rawRowsSince: now - settings.retentionDays * DAY_MS };
}

/** Runs `read` on each item, at most `width` at a time (a month of hour buckets must not flood a connection pool). */
async function mapLimited<T, R>(items: readonly T[], width: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await read(items[at] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

const BUCKET_READS_AT_ONCE = 8;

/**
 * GET /v1/analytics/byok (`allSources` false: calls on a request or stored key) and /v1/analytics/usage
 * (`allSources` true: every key source, grouped by key_source on request, with what was charged). With
 * `bucket=hour|day`, each bucket is read as its own period (the figures the endpoint answers for period=custom
 * with the bucket's bounds) and the period's totals once more, as without buckets.
 */
export async function usageAnswer(settings: AnalyticsSettings, scope: AnalyticsScope, query: URLSearchParams, allSources: boolean) {
  const groupBy = parseGroupBy(query.get("group_by"), allSources ? GROUP_NAMES : BYOK_GROUPS, DEFAULT_GROUP_BY);
  const filters = parseFilters(query, allSources);
  const unit = parseBucket(query.get("bucket"));
  const { period, rawRowsSince } = common(settings, query);
  const bounds = unit === undefined ? undefined : bucketsOf(period, unit);
  // Every call counts in /usage, those that failed before a key was chosen (no key source) included.
  const keySources = filters.keySource !== undefined ? [filters.keySource] : allSources ? undefined : BYOK_KEY_SOURCES;
  const read = (from: number, to: number) =>
    aggregateUsage(settings.store, {
      from,
      to,
      slice: sliceOf(scope, filters, keySources),
      apiKeyId: scope.apiKeyId,
      groupBy: dimensionsFor(groupBy),
      rawRowsSince,
    });
  const groups = await read(period.from, period.to);
  const buckets = bounds === undefined ? undefined : await mapLimited(bounds, BUCKET_READS_AT_ONCE, async (b) => ({ ...b, groups: await read(b.from, b.to) }));
  const teamNames = new Map<string, string>();
  if (groupBy.includes("team")) {
    for (const id of new Set(groups.map((g) => g.teamId ?? "").filter((id) => id !== ""))) {
      const team = await settings.store.teams.get(id);
      if (team) teamNames.set(id, team.name);
    }
  }
  const options = { groupBy, charged: allSources, teamNames };
  return usageReport(period, groups, options, unit === undefined || buckets === undefined ? undefined : { unit, list: buckets });
}

/** GET /v1/analytics/cost-comparison: BYOK calls at list price plus the BYOK fee, against platform keys' price. */
export async function costComparisonAnswerFor(settings: AnalyticsSettings, scope: AnalyticsScope, query: URLSearchParams) {
  const filters = parseFilters(query, false);
  const { period, rawRowsSince } = common(settings, query);
  const groups = await aggregateUsage(settings.store, {
    from: period.from,
    to: period.to,
    slice: sliceOf(scope, filters, BYOK_KEY_SOURCES),
    apiKeyId: scope.apiKeyId,
    groupBy: [],
    rawRowsSince,
  });
  const sum = total(groups);
  const comparison = compareCosts(sum.listCostMicros, settings.byokFeeBps, settings.markupBps);
  return costComparisonAnswer(period, sum.requests, comparison, { byokFeeBps: settings.byokFeeBps, markupBps: settings.markupBps });
}
