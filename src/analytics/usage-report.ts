// The answer of GET /v1/analytics/byok and /v1/analytics/usage, shaped from the period's usage groups: totals,
// then one list per group asked (by_provider, by_model, by_team, by_project, by_key_source), and the same per
// time bucket when one was asked.
import type { UsageDimension, UsageGroup } from "../store/repositories/usage-rollups.ts";
import { microsToUsd } from "../usage/money.ts";
import { GROUP_DIMENSIONS, type GroupName } from "./analytics-params.ts";
import { describePeriod, isoInZone, type Period } from "./periods.ts";
import { type ShownFigures, showFigures } from "./figures.ts";
import { regroup, total } from "../store/usage-groups.ts";

export interface ReportOptions {
  groupBy: readonly GroupName[];
  /** Show what was charged (`costs`, each group's `cost`) beside the list price. */
  charged: boolean;
  /** Team names by id, for by_team. */
  teamNames: ReadonlyMap<string, string>;
}

/**
 * The dimensions to read the period by for these groups: every group's, plus provider and model (each group
 * but by_model lists the models it used).
 */
export function dimensionsFor(groupBy: readonly GroupName[]): UsageDimension[] {
  const dimensions = new Set<UsageDimension>(["provider", "model"]);
  for (const group of groupBy) for (const d of GROUP_DIMENSIONS[group]) dimensions.add(d);
  return [...dimensions];
}

const orNull = (value: string | undefined) => (value === undefined || value === "" ? null : value);

/** The distinct model names of a group's rows, sorted. */
function modelsUsed(rows: readonly UsageGroup[]): string[] {
  return [...new Set(rows.map((row) => row.model ?? "").filter((model) => model !== ""))].sort();
}

/** Dearest first (list price), then most requests, then by name. */
function byCost(a: { figures: ShownFigures; name: string }, b: { figures: ShownFigures; name: string }): number {
  return b.figures.estimated_cost - a.figures.estimated_cost || b.figures.requests - a.figures.requests || a.name.localeCompare(b.name);
}

function groupList(group: GroupName, groups: readonly UsageGroup[], options: ReportOptions): Record<string, unknown>[] {
  const dimensions = GROUP_DIMENSIONS[group];
  const members = new Map<string, UsageGroup[]>();
  for (const row of groups) {
    const key = dimensions.map((d) => row[d] ?? "").join("\u0000");
    const list = members.get(key);
    if (list === undefined) members.set(key, [row]);
    else list.push(row);
  }
  const entries = regroup(groups, dimensions).map((sum) => {
    const rows = members.get(dimensions.map((d) => sum[d] ?? "").join("\u0000")) ?? [];
    const figures = showFigures(sum, options.charged);
    const used = group === "model" ? {} : { models_used: modelsUsed(rows) };
    switch (group) {
      case "model":
        return { name: sum.model ?? "", figures, head: { name: orNull(sum.model), provider: orNull(sum.provider) }, used };
      case "team": {
        const id = orNull(sum.teamId);
        return { name: sum.teamId ?? "", figures, head: { team_id: id, name: id === null ? null : (options.teamNames.get(id) ?? null) }, used };
      }
      default: {
        const value = sum[dimensions[0] as UsageDimension];
        return { name: value ?? "", figures, head: { name: orNull(value) }, used };
      }
    }
  });
  return entries.sort(byCost).map((entry) => ({ ...entry.head, ...entry.figures, ...entry.used }));
}

/** The totals and the `by_<group>` lists of `groups`: the figures of a period, or of one of its time buckets. */
function reportFigures(groups: readonly UsageGroup[], options: ReportOptions): Record<string, unknown> {
  const sum = total(groups);
  const shown = showFigures(sum, options.charged);
  const figures: Record<string, unknown> = {
    total_requests: sum.requests,
    estimated_costs: microsToUsd(sum.listCostMicros),
    ...(options.charged ? { costs: microsToUsd(sum.costMicros) } : {}),
    total_tokens: { input: sum.inputTokens, output: sum.outputTokens },
    avg_latency_ms: shown.avg_latency_ms,
    p95_latency_ms: shown.p95_latency_ms,
    error_rate: shown.error_rate,
  };
  for (const group of options.groupBy) figures[`by_${group}`] = groupList(group, groups, options);
  return figures;
}

/** One time bucket's usage groups (read by dimensionsFor(groupBy)) and its bounds. */
export interface BucketGroups {
  from: number;
  to: number;
  groups: readonly UsageGroup[];
}

/**
 * The answer over `groups` (read by dimensionsFor(groupBy)) for the period; with `buckets` (`bucket=hour|day`),
 * also `bucket` and `buckets`: each bucket's bounds (local ISO 8601) and its own totals and lists.
 */
export function usageReport(
  period: Period,
  groups: readonly UsageGroup[],
  options: ReportOptions,
  buckets?: { unit: string; list: readonly BucketGroups[] },
): Record<string, unknown> {
  const answer: Record<string, unknown> = { period: describePeriod(period), group_by: options.groupBy, ...reportFigures(groups, options) };
  if (buckets !== undefined) {
    answer.bucket = buckets.unit;
    answer.buckets = buckets.list.map((b) => ({
      from: isoInZone(b.from, period.timeZone),
      to: isoInZone(b.to, period.timeZone),
      ...reportFigures(b.groups, options),
    }));
  }
  return answer;
}
