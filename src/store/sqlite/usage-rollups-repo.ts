// Hourly usage rollups: read for analytics (grouped sums: usage-grouping.ts), and rebuilt from raw rows in slices
// (upserts during writes live in usage-repo.ts, through the same statement, rollup-upsert.ts).
import type { Db } from "./database.ts";
import { DAILY_THROUGH_SETTING, latencyBucketColumns, preparedDailyThrough, preparedRollupUpsert } from "./rollup-upsert.ts";
import { settings, usageRecords, usageRollups, usageRollupsDaily } from "./schema.ts";
import { sqlNames } from "./table-sql.ts";
import { dailyGrouping, rollupGrouping } from "./usage-grouping.ts";
import { regroup } from "../usage-groups.ts";
import { DAY_HOURS, epochHour, rollUp } from "../usage-rollup.ts";
import type { UsageRecord } from "../repositories/usage.ts";
import type {
  RollupFilter, RollupRebuild, UsageDimension, UsageGroup, UsageRollup, UsageRollupsRepo, UsageSlice,
} from "../repositories/usage-rollups.ts";

type RawRow = Parameters<typeof rollUp>[0][number] & { id: number };

type StoredRollup = Omit<UsageRollup, "latencyHistogram"> & Record<string, number | string>;

/** An account's rollups of an hour range (optionally one team's or provider's), bucket columns read back as the histogram. */
function rollupReader(sqlite: Db["$client"]) {
  const { table, column } = sqlNames(usageRollups);
  const fields = ["hour", "accountId", "teamId", "projectTag", "provider", "model", "keySource", "requests", "errors", "inputTokens", "outputTokens", "costMicros", "listCostMicros", "latencyMsSum"] as const;
  const buckets = latencyBucketColumns();
  const select = [...fields.map((key) => `${column[key]} AS ${key}`), ...buckets.map((name, i) => `${name} AS b${i}`)].join(", ");
  const order = (["hour", "teamId", "projectTag", "provider", "model", "keySource"] as const).map((key) => column[key]).join(", ");
  const statements = new Map<string, ReturnType<typeof sqlite.prepare<StoredRollup, (string | number)[]>>>();
  return (accountId: string, fromHour: number, toHour: number, filter: RollupFilter): UsageRollup[] => {
    const where = [`${column.accountId} = ?`, `${column.hour} >= ?`, `${column.hour} < ?`];
    const values: (string | number)[] = [accountId, fromHour, toHour];
    if (filter.teamId !== undefined) (where.push(`${column.teamId} = ?`), values.push(filter.teamId));
    if (filter.provider !== undefined) (where.push(`${column.provider} = ?`), values.push(filter.provider));
    const sql = `SELECT ${select} FROM ${table} WHERE ${where.join(" AND ")} ORDER BY ${order}`;
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = sqlite.prepare<StoredRollup, (string | number)[]>(sql)));
    return statement.all(...values).map((row) => {
      const rollup = Object.fromEntries(fields.map((key) => [key, row[key]])) as Omit<UsageRollup, "latencyHistogram">;
      return { ...rollup, latencyHistogram: buckets.map((_, i) => Number(row[`b${i}`])) };
    });
  };
}

/**
 * The daily compaction: sums hourly rollups of whole UTC days into daily rollups (a day at most once: the setting
 * DAILY_THROUGH_SETTING names the first day not summed), and answers which days a read may take from them.
 */
function dailyCompaction(sqlite: Db["$client"]) {
  const hourly = sqlNames(usageRollups);
  const daily = sqlNames(usageRollupsDaily);
  const setting = sqlNames(settings);
  const copied = ["accountId", "teamId", "projectTag", "provider", "model", "keySource"].map((key) => (hourly.column as Record<string, string>)[key] as string);
  const summed = [...["requests", "errors", "inputTokens", "outputTokens", "costMicros", "listCostMicros", "latencyMsSum"].map((key) => (hourly.column as Record<string, string>)[key] as string), ...latencyBucketColumns()];
  const through = preparedDailyThrough(sqlite);
  const oldestHour = sqlite.prepare<{ hour: number | null }, []>(`SELECT MIN(${hourly.column.hour}) AS hour FROM ${hourly.table}`);
  const clear = sqlite.prepare<never, [number, number]>(`DELETE FROM ${daily.table} WHERE ${daily.column.day} >= ? AND ${daily.column.day} < ?`);
  // Hours are non-negative integers, so hour / 24 is the UTC day.
  const sum = sqlite.prepare<never, [number, number]>(
    `INSERT INTO ${daily.table} (${daily.column.day}, ${copied.join(", ")}, ${summed.join(", ")})
     SELECT ${hourly.column.hour} / ${DAY_HOURS}, ${copied.join(", ")}, ${summed.map((name) => `SUM(${name})`).join(", ")}
     FROM ${hourly.table} WHERE ${hourly.column.hour} >= ? AND ${hourly.column.hour} < ?
     GROUP BY ${hourly.column.hour} / ${DAY_HOURS}, ${copied.join(", ")}`,
  );
  const save = sqlite.prepare<never, [string, string]>(
    `INSERT INTO ${setting.table} (${setting.column.key}, ${setting.column.value}) VALUES (?, ?)
     ON CONFLICT (${setting.column.key}) DO UPDATE SET ${setting.column.value} = excluded.${setting.column.value}`,
  );
  const setThrough = (day: number) => save.run(DAILY_THROUGH_SETTING, String(day));
  const compact = sqlite.transaction((beforeDay: number, maxDays: number): number => {
    let from = through();
    if (from === undefined) {
      const oldest = oldestHour.get()?.hour;
      from = oldest === null || oldest === undefined ? beforeDay : Math.floor(oldest / DAY_HOURS);
    }
    const to = Math.min(beforeDay, from + maxDays);
    if (to <= from) {
      if (through() === undefined) setThrough(from);
      return 0;
    }
    clear.run(from, to);
    sum.run(from * DAY_HOURS, to * DAY_HOURS);
    setThrough(to);
    return to - from;
  });
  return {
    through,
    compact: (beforeDay: number, maxDays: number) => compact.immediate(beforeDay, maxDays),
    /** In the rebuild's transaction: days from `day` on are summed again from the rebuilt hourly rollups. */
    forgetFrom(day: number) {
      const current = through();
      if (current === undefined || current <= day) return;
      clear.run(day, current);
      setThrough(day);
    },
  };
}

export function usageRollupsRepo(db: Db): UsageRollupsRepo {
  const sqlite = db.$client;
  const upsertRollups = preparedRollupUpsert(sqlite);
  const raw = sqlNames(usageRecords);
  const rolled = sqlNames(usageRollups);
  const read: (keyof UsageRecord)[] = [
    "id", "accountId", "teamId", "projectTag", "provider", "model", "keySource", "status", "inputTokens", "outputTokens",
    "costMicros", "estimatedCostMicros", "latencyMs", "createdAt",
  ];
  const readSlice = sqlite.prepare<RawRow, [number, number, number]>(
    `SELECT ${read.map((key) => `${raw.column[key]} AS ${key}`).join(", ")} FROM ${raw.table}
     WHERE ${raw.column.id} > ? AND ${raw.column.id} <= ? ORDER BY ${raw.column.id} LIMIT ?`,
  );
  const span = sqlite.prepare<{ oldest: number | null; lastId: number | null; total: number }, []>(
    `SELECT MIN(${raw.column.createdAt}) AS oldest, MAX(${raw.column.id}) AS lastId, COUNT(*) AS total FROM ${raw.table}`,
  );
  const hourlySums = rollupGrouping(sqlite);
  const dailySums = dailyGrouping(sqlite);
  const compaction = dailyCompaction(sqlite);
  /** Whole UTC days already compacted are read from the daily rollups, the hours around them from the hourly ones. */
  const groupedSums = (fromHour: number, toHour: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): UsageGroup[] => {
    const firstDay = Math.ceil(fromHour / DAY_HOURS);
    const endDay = Math.min(Math.floor(toHour / DAY_HOURS), compaction.through() ?? Number.NEGATIVE_INFINITY);
    if (endDay <= firstDay) return hourlySums(fromHour, toHour, slice, groupBy);
    const parts = [dailySums(firstDay, endDay, slice, groupBy)];
    if (fromHour < firstDay * DAY_HOURS) parts.push(hourlySums(fromHour, firstDay * DAY_HOURS, slice, groupBy));
    if (endDay * DAY_HOURS < toHour) parts.push(hourlySums(endDay * DAY_HOURS, toHour, slice, groupBy));
    return parts.length === 1 ? (parts[0] as UsageGroup[]) : regroup(parts.flat(), groupBy);
  };
  const readBetween = rollupReader(sqlite);
  const clearFrom = sqlite.prepare<never, [number]>(`DELETE FROM ${rolled.table} WHERE ${rolled.column.hour} >= ?`);

  const start = sqlite.transaction((): RollupRebuild => {
    const found = span.get();
    if (!found || found.oldest === null || found.lastId === null) return { fromHour: undefined, lastId: 0, total: 0 };
    const fromHour = epochHour(found.oldest);
    clearFrom.run(fromHour);
    compaction.forgetFrom(Math.floor(fromHour / DAY_HOURS));
    return { fromHour, lastId: found.lastId, total: found.total };
  });
  const slice = sqlite.transaction((afterId: number, upToId: number, limit: number) => {
    const rows = readSlice.all(afterId, upToId, limit);
    upsertRollups(rollUp(rows));
    return { lastId: rows.at(-1)?.id ?? upToId, rows: rows.length };
  });

  return {
    async between(accountId: string, fromHour: number, toHour: number, filter: RollupFilter = {}): Promise<UsageRollup[]> {
      return readBetween(accountId, fromHour, toHour, filter);
    },
    async grouped(fromHour: number, toHour: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> {
      return groupedSums(fromHour, toHour, slice, groupBy);
    },
    async compactDays(beforeDay: number, maxDays: number): Promise<number> {
      return compaction.compact(beforeDay, maxDays);
    },
    async startRebuild(): Promise<RollupRebuild> {
      // IMMEDIATE: no row is written between reading the last id and clearing, so none is counted twice or lost.
      return start.immediate();
    },
    async rebuildSlice(afterId: number, upToId: number, limit: number): Promise<{ lastId: number; rows: number }> {
      return slice.immediate(afterId, upToId, limit);
    },
  };
}
