// The usage rollups contract: one row per UTC hour x account x team x project x provider x model x key source,
// maintained in the transaction that writes the raw usage rows, so analytics never scan raw rows for long periods.

/**
 * An hourly rollup. Absent team, project, provider, model or key source are '' (not NULL), so calls without them
 * share one row per hour and accumulate there (SQL unique keys treat NULLs as distinct).
 */
export interface UsageRollup extends UsageFigures {
  /** UTC epoch hour: floor(created_at in ms / 3,600,000). */
  hour: number;
  accountId: string;
  teamId: string;
  projectTag: string;
  provider: string;
  model: string;
  keySource: string;
}

export interface RollupFilter {
  teamId?: string;
  provider?: string;
}

/** The dimensions usage can be grouped by (rollup key columns; '' stands for an absent value on both sides). */
export const USAGE_DIMENSIONS = ["teamId", "projectTag", "provider", "model", "keySource"] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

/**
 * Which usage a grouped read covers, besides its time range: one account (every account when absent), and
 * optionally one team, project, provider, or some key sources. '' matches rows without the value.
 */
export interface UsageSlice {
  accountId?: string;
  teamId?: string;
  projectTag?: string;
  provider?: string;
  /** Only these key sources (request, stored, platform); none matches nothing. */
  keySources?: readonly string[];
}

/** Summed usage: counts, tokens, integer micro-USD, latency. */
export interface UsageSums {
  requests: number;
  /** Calls that ended with status >= 400. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** Charged, micro-USD (sum of usage_records.cost_micros). */
  costMicros: number;
  /** At list price, micro-USD (sum of usage_records.estimated_cost_micros). */
  listCostMicros: number;
  latencyMsSum: number;
}

/** Summed usage and the latency histogram: calls per bucket (LATENCY_BUCKET_BOUNDS_MS in ../usage-rollup.ts). */
export interface UsageFigures extends UsageSums {
  latencyHistogram: number[];
}

/** The figures of one group: its value of each dimension grouped by (absent ones '') and its sums. */
export type UsageGroup = UsageFigures & Partial<Record<UsageDimension, string>>;

/** Where a rebuild stands: rollups from `fromHour` on were cleared; raw rows with id <= `lastId` are to be rolled up. */
export interface RollupRebuild {
  /** The hour of the oldest raw row (undefined when there is none: nothing was cleared). */
  fromHour: number | undefined;
  lastId: number;
  /** Raw rows to roll up. */
  total: number;
}

export interface UsageRollupsRepo {
  /** An account's rollups for hours in [fromHour, toHour), oldest hour first, optionally one team's or provider's. */
  between(accountId: string, fromHour: number, toHour: number, filter?: RollupFilter): Promise<UsageRollup[]>;
  /**
   * The rollups of hours in [fromHour, toHour) within the slice, summed per distinct value of the `groupBy`
   * dimensions (one group for all when empty; none when nothing matches), aggregated by the database.
   */
  grouped(fromHour: number, toHour: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]>;
  /**
   * Sums the hourly rollups of whole UTC days (epoch days) before `beforeDay` that are not summed yet into daily
   * rollups, at most `maxDays` days in one transaction; returns how many days it summed (0: nothing left). Grouped
   * reads then sum one row per day for those days. A row written later for a summed day is added to both.
   */
  compactDays(beforeDay: number, maxDays: number): Promise<number>;
  /**
   * Starts a rebuild from raw rows: in one transaction, clears the rollups of the hours that still have raw rows
   * (older hours, whose raw rows retention removed, are kept) and notes the last raw row id. Rows written after
   * it are rolled up as they are written, so a running gateway may keep writing.
   */
  startRebuild(): Promise<RollupRebuild>;
  /** Rolls up (one transaction) at most `limit` raw rows with afterId < id <= upToId; returns the last id read and the count. */
  rebuildSlice(afterId: number, upToId: number, limit: number): Promise<{ lastId: number; rows: number }>;
}
