// How a batch's rollups are added to the stored ones, inside the caller's transaction (the raw rows' insert, or a
// rebuild slice): one cached prepared upsert per distinct key into the hourly rollups, and, for the rare rollup of a
// UTC day that the compaction has already summed (a row written late), the same upsert into the daily rollups.
// The latency histogram is one integer column per bucket, added like every other sum.
import type { Database } from "bun:sqlite";
import { DAY_HOURS, HOUR_MS, LATENCY_BUCKETS, latencyBucketField } from "../usage-rollup.ts";
import type { UsageRollup } from "../repositories/usage-rollups.ts";
import { usageRollups, usageRollupsDaily } from "./schema.ts";
import { preparedSettingRead } from "./settings-repo.ts";
import { sqlNames } from "./table-sql.ts";

const DIMENSIONS = ["accountId", "teamId", "projectTag", "provider", "model", "keySource"] as const;
const SUMS = ["requests", "errors", "inputTokens", "outputTokens", "costMicros", "listCostMicros", "latencyMsSum"] as const;

/** The setting holding the first UTC day the compaction has not summed into the daily rollups. */
export const DAILY_THROUGH_SETTING = "usage_rollups_daily_through";

/**
 * How far clocks of gateways sharing a database may differ: the compaction sums a day only once it ended this long
 * ago, and a write checks whether its day was compacted whenever the day may have ended on some gateway's clock.
 */
export const CLOCK_SKEW_MS = HOUR_MS;

/** The SQL name of each latency bucket's column, bucket 0 first. */
export function latencyBucketColumns(): string[] {
  const { column } = sqlNames(usageRollups);
  return Array.from({ length: LATENCY_BUCKETS }, (_, i) => (column as Record<string, string>)[latencyBucketField(i)] as string);
}

/** An upsert adding rollups to `table`, whose time column is `time` (hour or day). */
function preparedUpsert(sqlite: Database, table: typeof usageRollups | typeof usageRollupsDaily, time: string) {
  const names = sqlNames(table);
  const column = names.column as Record<string, string>;
  const buckets = latencyBucketColumns();
  const sums = [...SUMS.map((key) => column[key] as string), ...buckets];
  const key = [time, ...DIMENSIONS.map((name) => column[name] as string)];
  const statement = sqlite.prepare<never, (string | number)[]>(
    `INSERT INTO ${names.table} (${[...key, ...sums].join(", ")}) VALUES (${[...key, ...sums].map(() => "?").join(", ")})
     ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${sums.map((name) => `${name} = ${name} + excluded.${name}`).join(", ")}`,
  );
  // The values in the statement's order, laid out in one array the next upsert reuses.
  const values = new Array<string | number>(1 + DIMENSIONS.length + SUMS.length + LATENCY_BUCKETS);
  return (at: number, rollup: UsageRollup) => {
    let index = 0;
    values[index++] = at;
    for (const name of DIMENSIONS) values[index++] = rollup[name];
    for (const name of SUMS) values[index++] = rollup[name];
    for (let bucket = 0; bucket < LATENCY_BUCKETS; bucket++) values[index++] = rollup.latencyHistogram[bucket] ?? 0;
    statement.run(...values);
  };
}

/** Reads the first UTC day not yet compacted (undefined before the first compaction). */
export function preparedDailyThrough(sqlite: Database): () => number | undefined {
  const read = preparedSettingRead(sqlite);
  return () => {
    const found = read(DAILY_THROUGH_SETTING);
    return found === undefined ? undefined : Number(found);
  };
}

export function preparedRollupUpsert(sqlite: Database, now: () => number = Date.now): (rollups: readonly UsageRollup[]) => void {
  const hourly = preparedUpsert(sqlite, usageRollups, sqlNames(usageRollups).column.hour);
  const daily = preparedUpsert(sqlite, usageRollupsDaily, sqlNames(usageRollupsDaily).column.day);
  const dailyThrough = preparedDailyThrough(sqlite);
  return (rollups) => {
    // A day no gateway's clock has left yet cannot be compacted: only older rollups need the (cheap) check.
    const mayBeCompacted = Math.floor((now() + CLOCK_SKEW_MS) / HOUR_MS / DAY_HOURS);
    let through: number | undefined | null = null;
    for (const rollup of rollups) {
      hourly(rollup.hour, rollup);
      const day = Math.floor(rollup.hour / DAY_HOURS);
      if (day >= mayBeCompacted) continue;
      if (through === null) through = dailyThrough();
      if (through !== undefined && day < through) daily(day, rollup);
    }
  };
}
