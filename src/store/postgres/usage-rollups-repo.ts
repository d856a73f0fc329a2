// Hourly (and daily) usage rollups on Postgres: read for analytics (grouped sums: usage-grouping.ts), compacted into
// daily rollups, and rebuilt from raw rows in slices (upserts during writes go through rollup-upsert.ts, as here).
// The compaction and a rebuild's start hold ROLLUP_LOCK exclusively; a rebuild's start also locks usage_records
// against writers (SHARE ROW EXCLUSIVE) between reading the last id and clearing, with several gateways writing.
import type { SQL, TransactionSQL } from "bun";
import { DAY_HOURS, epochHour, rollUp } from "../usage-rollup.ts";
import { regroup } from "../usage-groups.ts";
import type {
  RollupFilter, RollupRebuild, UsageDimension, UsageGroup, UsageRollup, UsageRollupsRepo, UsageSlice,
} from "../repositories/usage-rollups.ts";
import type { PgDb } from "./database.ts";
import { DAILY_THROUGH_SETTING, ROLLUP_LOCK, rollupWriter } from "./rollup-upsert.ts";
import { settings, usageRecords, usageRollups, usageRollupsDaily } from "./schema.ts";
import { latencyBucketColumns, num, pgNames, ROLLUP_DIMENSIONS, ROLLUP_SUMS } from "./usage-columns.ts";
import { dailyGrouping, rollupGrouping } from "./usage-grouping.ts";

type Runner = SQL | TransactionSQL;
type Row = Record<string, unknown>;

const raw = pgNames(usageRecords);
const hourly = pgNames(usageRollups);
const daily = pgNames(usageRollupsDaily);
const setting = pgNames(settings);

/** An account's rollups of an hour range (optionally one team's or provider's), oldest hour first, in key order. */
function rollupReader(sql: SQL) {
  const column = hourly.column as Record<string, string>;
  const buckets = latencyBucketColumns();
  const select = [
    `${column.hour} AS "hour"`,
    ...ROLLUP_DIMENSIONS.map((key) => `${column[key]} AS "${key}"`),
    ...ROLLUP_SUMS.map((key) => `${column[key]} AS "${key}"`),
    ...buckets.map((name, i) => `${name} AS "b${i}"`),
  ].join(", ");
  // Byte order, as SQLite sorts text.
  const order = [column.hour, ...ROLLUP_DIMENSIONS.slice(1).map((key) => `${column[key]} COLLATE "C"`)].join(", ");
  return async (accountId: string, fromHour: number, toHour: number, filter: RollupFilter): Promise<UsageRollup[]> => {
    const values: (string | number)[] = [accountId, fromHour, toHour];
    const where = [`${column.accountId} = $1`, `${column.hour} >= $2`, `${column.hour} < $3`];
    if (filter.teamId !== undefined) (values.push(filter.teamId), where.push(`${column.teamId} = $${values.length}`));
    if (filter.provider !== undefined) (values.push(filter.provider), where.push(`${column.provider} = $${values.length}`));
    const rows: Row[] = await sql.unsafe(`SELECT ${select} FROM ${hourly.table} WHERE ${where.join(" AND ")} ORDER BY ${order}`, values);
    return rows.map((row) => {
      const rollup = { hour: num(row.hour) } as UsageRollup;
      for (const key of ROLLUP_DIMENSIONS) rollup[key] = String(row[key]);
      for (const key of ROLLUP_SUMS) rollup[key] = num(row[key]);
      rollup.latencyHistogram = buckets.map((_, i) => num(row[`b${i}`]));
      return rollup;
    });
  };
}

/** The first UTC day not yet compacted (undefined before the first compaction). */
async function readThrough(runner: Runner): Promise<number | undefined> {
  const rows: Row[] = await runner.unsafe(`SELECT ${setting.column.value} AS value FROM ${setting.table} WHERE ${setting.column.key} = $1`, [DAILY_THROUGH_SETTING]);
  return rows[0] === undefined ? undefined : Number(rows[0].value);
}

async function saveThrough(runner: Runner, day: number): Promise<void> {
  await runner.unsafe(
    `INSERT INTO ${setting.table} (${setting.column.key}, ${setting.column.value}) VALUES ($1, $2)
     ON CONFLICT (${setting.column.key}) DO UPDATE SET ${setting.column.value} = excluded.${setting.column.value}`,
    [DAILY_THROUGH_SETTING, String(day)],
  );
}

async function clearDaily(runner: Runner, fromDay: number, toDay: number): Promise<void> {
  await runner.unsafe(`DELETE FROM ${daily.table} WHERE ${daily.column.day} >= $1 AND ${daily.column.day} < $2`, [fromDay, toDay]);
}

/** In a transaction holding ROLLUP_LOCK: days from `day` on are to be summed again from the (rebuilt) hourly rollups. */
async function forgetDailyFrom(tx: TransactionSQL, day: number): Promise<void> {
  const current = await readThrough(tx);
  if (current === undefined || current <= day) return;
  await clearDaily(tx, day, current);
  await saveThrough(tx, day);
}

/**
 * The daily compaction: in one transaction holding ROLLUP_LOCK, sums the hourly rollups of at most `maxDays` whole
 * UTC days holding rollups before `beforeDay`, from the first day not summed yet, into the daily rollups (a day at
 * most once); answers how many days it moved past, the empty ones it skipped included.
 */
async function compact(sql: SQL, beforeDay: number, maxDays: number): Promise<number> {
  const copied = ROLLUP_DIMENSIONS.map((key) => (hourly.column as Record<string, string>)[key] as string);
  const summed = [...ROLLUP_SUMS.map((key) => (hourly.column as Record<string, string>)[key] as string), ...latencyBucketColumns()];
  return sql.begin(async (tx) => {
    await tx.unsafe(`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`);
    const through = await readThrough(tx);
    let from = through;
    if (from === undefined) {
      const [oldest] = (await tx.unsafe(`SELECT MIN(${hourly.column.hour}) AS hour FROM ${hourly.table}`)) as Row[];
      from = oldest?.hour === null || oldest?.hour === undefined ? beforeDay : Math.floor(num(oldest.hour) / DAY_HOURS);
    }
    // Days without hourly rollups (a gap of years before a first compaction, say) are passed over in this same
    // transaction: summing them adds nothing, so at most `maxDays` days holding rollups are summed at once.
    const [next] = (await tx.unsafe(
      `SELECT MIN(${hourly.column.hour}) AS hour FROM ${hourly.table} WHERE ${hourly.column.hour} >= $1 AND ${hourly.column.hour} < $2`,
      [from * DAY_HOURS, Math.max(from, beforeDay) * DAY_HOURS],
    )) as Row[];
    const start = next?.hour === null || next?.hour === undefined ? beforeDay : Math.max(from, Math.floor(num(next.hour) / DAY_HOURS));
    const to = Math.min(beforeDay, start + maxDays);
    if (to <= from) {
      if (through === undefined) await saveThrough(tx, from);
      return 0;
    }
    await clearDaily(tx, from, to);
    // Hours are non-negative integers, so hour / 24 (integer division) is the UTC day.
    await tx.unsafe(
      `INSERT INTO ${daily.table} (${daily.column.day}, ${copied.join(", ")}, ${summed.join(", ")})
       SELECT ${hourly.column.hour} / ${DAY_HOURS}, ${copied.join(", ")}, ${summed.map((name) => `SUM(${name})`).join(", ")}
       FROM ${hourly.table} WHERE ${hourly.column.hour} >= $1 AND ${hourly.column.hour} < $2
       GROUP BY ${hourly.column.hour} / ${DAY_HOURS}, ${copied.join(", ")}`,
      [from * DAY_HOURS, to * DAY_HOURS],
    );
    await saveThrough(tx, to);
    return to - from;
  });
}

export function usageRollupsRepo(_db: PgDb, sql: SQL): UsageRollupsRepo {
  const writeRollups = rollupWriter(sql);
  const hourlySums = rollupGrouping(sql);
  const dailySums = dailyGrouping(sql);
  const readBetween = rollupReader(sql);
  const rawFields = ["id", "accountId", "teamId", "projectTag", "provider", "model", "keySource", "status", "inputTokens", "outputTokens", "costMicros", "estimatedCostMicros", "latencyMs", "createdAt"] as const;
  const readSlice = `SELECT ${rawFields.map((key) => `${raw.column[key]} AS "${key}"`).join(", ")} FROM ${raw.table}
    WHERE ${raw.column.id} > $1 AND ${raw.column.id} <= $2 ORDER BY ${raw.column.id} LIMIT $3`;
  const textFields = new Set<string>(["accountId", "teamId", "projectTag", "provider", "model", "keySource"]);

  /** Whole UTC days already compacted are read from the daily rollups, the hours around them from the hourly ones. */
  const groupedSums = async (fromHour: number, toHour: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> => {
    const firstDay = Math.ceil(fromHour / DAY_HOURS);
    const lastWholeDay = Math.floor(toHour / DAY_HOURS);
    if (lastWholeDay <= firstDay) return hourlySums(fromHour, toHour, slice, groupBy);
    const endDay = Math.min(lastWholeDay, (await readThrough(sql)) ?? Number.NEGATIVE_INFINITY);
    if (endDay <= firstDay) return hourlySums(fromHour, toHour, slice, groupBy);
    const reads = [dailySums(firstDay, endDay, slice, groupBy)];
    if (fromHour < firstDay * DAY_HOURS) reads.push(hourlySums(fromHour, firstDay * DAY_HOURS, slice, groupBy));
    if (endDay * DAY_HOURS < toHour) reads.push(hourlySums(endDay * DAY_HOURS, toHour, slice, groupBy));
    const parts = await Promise.all(reads);
    return parts.length === 1 ? (parts[0] as UsageGroup[]) : regroup(parts.flat(), groupBy);
  };

  return {
    async between(accountId: string, fromHour: number, toHour: number, filter: RollupFilter = {}): Promise<UsageRollup[]> {
      return readBetween(accountId, fromHour, toHour, filter);
    },
    async grouped(fromHour: number, toHour: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> {
      return groupedSums(fromHour, toHour, slice, groupBy);
    },
    async compactDays(beforeDay: number, maxDays: number): Promise<number> {
      return compact(sql, beforeDay, maxDays);
    },
    async startRebuild(): Promise<RollupRebuild> {
      return sql.begin(async (tx) => {
        // ROLLUP_LOCK first (as late writers take it before their insert), then no writer until commit: no row is
        // written between reading the last id and clearing, so none is counted twice or lost.
        await tx.unsafe(`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`);
        await tx.unsafe(`LOCK TABLE ${raw.table} IN SHARE ROW EXCLUSIVE MODE`);
        const [found] = (await tx.unsafe(
          `SELECT MIN(${raw.column.createdAt}) AS oldest, MAX(${raw.column.id}) AS "lastId", COUNT(*) AS total FROM ${raw.table}`,
        )) as Row[];
        if (found === undefined || found.oldest === null || found.lastId === null) return { fromHour: undefined, lastId: 0, total: 0 };
        const fromHour = epochHour(num(found.oldest));
        await tx.unsafe(`DELETE FROM ${hourly.table} WHERE ${hourly.column.hour} >= $1`, [fromHour]);
        await forgetDailyFrom(tx, Math.floor(fromHour / DAY_HOURS));
        return { fromHour, lastId: num(found.lastId), total: num(found.total) };
      });
    },
    async rebuildSlice(afterId: number, upToId: number, limit: number): Promise<{ lastId: number; rows: number }> {
      // Raw rows do not change once written: the slice is read, then rolled up by one statement (atomic on its own).
      const rows = ((await sql.unsafe(readSlice, [afterId, upToId, limit])) as Row[]).map((row) => {
        const converted: Record<string, unknown> = {};
        for (const key of rawFields) converted[key] = textFields.has(key) ? row[key] : num(row[key]);
        return converted as Parameters<typeof rollUp>[0][number] & { id: number };
      });
      await writeRollups(rollUp(rows));
      return { lastId: rows.at(-1)?.id ?? upToId, rows: rows.length };
    },
  };
}
