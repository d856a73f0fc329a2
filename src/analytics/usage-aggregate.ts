// The usage of a period, summed per group: the aggregation every analytics answer (and any other reader) starts
// from. Whole hours come from the hourly rollups, hours partly inside the period from raw rows (so the figures are
// exact while raw rows exist), and one keyway key's own usage from its raw rows only (rollups have no key).
import type { UsageRepo } from "../store/repositories/usage.ts";
import type { UsageDimension, UsageGroup, UsageRollupsRepo, UsageSlice } from "../store/repositories/usage-rollups.ts";
import { HOUR_MS } from "../store/usage-rollup.ts";
import { splitIntoHours } from "./hour-split.ts";
import { regroup } from "../store/usage-groups.ts";

export interface UsageQuery {
  /** The period, [from, to) in epoch ms. */
  from: number;
  to: number;
  /** Which usage: account (every account when absent), team, project, provider, key sources. */
  slice: UsageSlice;
  /** Only this keyway key's calls (a developer key's own usage): read from raw rows, within retention. */
  apiKeyId?: string;
  groupBy: readonly UsageDimension[];
  /**
   * Raw rows older than this (epoch ms) may have been pruned (usage.retention_days): an hour partly inside the
   * period that starts before it is read whole from its rollup instead. Default: raw rows are all there.
   */
  rawRowsSince?: number;
}

export interface UsageSources {
  usage: Pick<UsageRepo, "aggregate">;
  usageRollups: Pick<UsageRollupsRepo, "grouped">;
}

/** The usage of the query's period and slice, summed per distinct value of its `groupBy` dimensions. */
export async function aggregateUsage(store: UsageSources, query: UsageQuery): Promise<UsageGroup[]> {
  const { from, to, slice, groupBy } = query;
  if (query.apiKeyId !== undefined) {
    return store.usage.aggregate(from, to, { ...slice, apiKeyId: query.apiKeyId }, groupBy);
  }
  const split = splitIntoHours(from, to);
  const reads: Promise<UsageGroup[]>[] = [];
  if (split.wholeHours) reads.push(store.usageRollups.grouped(split.wholeHours.fromHour, split.wholeHours.toHour, slice, groupBy));
  for (const piece of split.partial) {
    const hourStart = Math.floor(piece.from / HOUR_MS) * HOUR_MS;
    if (query.rawRowsSince !== undefined && hourStart < query.rawRowsSince) {
      reads.push(store.usageRollups.grouped(hourStart / HOUR_MS, hourStart / HOUR_MS + 1, slice, groupBy));
    } else {
      reads.push(store.usage.aggregate(piece.from, piece.to, slice, groupBy));
    }
  }
  const parts = await Promise.all(reads);
  return parts.length === 1 ? (parts[0] as UsageGroup[]) : regroup(parts.flat(), groupBy);
}
