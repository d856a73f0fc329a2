// The analytics endpoints' answers from a caller's scope and the query: the period on budgets.time_zone's
// calendar, the filters and groups, one aggregation (usage-aggregate.ts), then the answer's shape.
import type { Store } from "../store/store.ts";
import type { UsageSlice } from "../store/repositories/usage-rollups.ts";
import { BYOK_KEY_SOURCES, GROUP_NAMES, type GroupName, parseFilters, parseGroupBy } from "./analytics-params.ts";
import { compareCosts, costComparisonAnswer } from "./cost-comparison.ts";
import { resolvePeriod } from "./periods.ts";
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

/**
 * GET /v1/analytics/byok (`allSources` false: calls on a request or stored key) and /v1/analytics/usage
 * (`allSources` true: every key source, grouped by key_source on request, with what was charged).
 */
export async function usageAnswer(settings: AnalyticsSettings, scope: AnalyticsScope, query: URLSearchParams, allSources: boolean) {
  const groupBy = parseGroupBy(query.get("group_by"), allSources ? GROUP_NAMES : BYOK_GROUPS, DEFAULT_GROUP_BY);
  const filters = parseFilters(query, allSources);
  const { period, rawRowsSince } = common(settings, query);
  // Every call counts in /usage, those that failed before a key was chosen (no key source) included.
  const keySources = filters.keySource !== undefined ? [filters.keySource] : allSources ? undefined : BYOK_KEY_SOURCES;
  const groups = await aggregateUsage(settings.store, {
    from: period.from,
    to: period.to,
    slice: sliceOf(scope, filters, keySources),
    apiKeyId: scope.apiKeyId,
    groupBy: dimensionsFor(groupBy),
    rawRowsSince,
  });
  const teamNames = new Map<string, string>();
  if (groupBy.includes("team")) {
    for (const id of new Set(groups.map((g) => g.teamId ?? "").filter((id) => id !== ""))) {
      const team = await settings.store.teams.get(id);
      if (team) teamNames.set(id, team.name);
    }
  }
  return usageReport(period, groups, { groupBy, charged: allSources, teamNames });
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
