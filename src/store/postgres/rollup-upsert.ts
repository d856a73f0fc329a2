// How a batch's rollups are added to the stored ones on Postgres: ONE statement adds them to the hourly rollups with a
// multi-row `INSERT ... ON CONFLICT DO UPDATE` (col = col + excluded.col, so concurrent batches from several gateways
// never lose an increment), rows in primary-key order (two batches lock shared rows in the same order: no deadlock),
// optionally after a data-modifying CTE of the caller's (the raw rows' insert), so both commit together. For the rare
// batch holding a row of a UTC day the compaction may already have summed (a row written late), the same statement
// also adds those rollups to the daily rollups of days before the `usage_rollups_daily_through` setting, inside a
// transaction holding ROLLUP_LOCK shared, which the compaction and a rebuild's start hold exclusively.
import type { SQL } from "bun";
import { CLOCK_SKEW_MS, DAILY_THROUGH_SETTING } from "../sqlite/rollup-upsert.ts";
import { DAY_HOURS, HOUR_MS, LATENCY_BUCKETS } from "../usage-rollup.ts";
import type { UsageRollup } from "../repositories/usage-rollups.ts";
import { latencyBucketColumns, pgNames, ROLLUP_DIMENSIONS, ROLLUP_SUMS } from "./usage-columns.ts";
import { settings, usageRollups, usageRollupsDaily } from "./schema.ts";

export { CLOCK_SKEW_MS, DAILY_THROUGH_SETTING };

/** The advisory lock between the daily compaction (and a rebuild's start: exclusive) and late rows' writes (shared). */
export const ROLLUP_LOCK = 0x6b77_726f_6c6c; // "kwroll"

/** A data-modifying statement run as a CTE of the rollups' upsert: its SQL, given its parameter's placeholder, and the value. */
export interface CompanionWrite {
  sql(placeholder: string): string;
  value: unknown;
}

const hourly = pgNames(usageRollups);
const daily = pgNames(usageRollupsDaily);
const setting = pgNames(settings);
const hourlyColumn = hourly.column as Record<string, string>;
const buckets = latencyBucketColumns();
const dimensionColumns = ROLLUP_DIMENSIONS.map((key) => hourlyColumn[key] as string);
const sumColumns = [...ROLLUP_SUMS.map((key) => hourlyColumn[key] as string), ...buckets];
/** The recordset the rollups arrive as (JSON objects keyed by column name). */
const recordset = `(${[`${hourly.column.hour} bigint`, ...dimensionColumns.map((name) => `${name} text`), ...sumColumns.map((name) => `${name} bigint`)].join(", ")})`;

function hourlyUpsert(param: string): string {
  const key = [hourly.column.hour, ...dimensionColumns];
  const conflictKey = [hourly.column.accountId, hourly.column.hour, ...dimensionColumns.slice(1)];
  return `INSERT INTO ${hourly.table} (${[...key, ...sumColumns].join(", ")})
    SELECT ${[...key, ...sumColumns].map((name) => `r.${name}`).join(", ")} FROM json_to_recordset(${param}::text::json) AS r${recordset}
    ON CONFLICT (${conflictKey.join(", ")}) DO UPDATE SET ${sumColumns.map((name) => `${name} = ${hourly.table}.${name} + excluded.${name}`).join(", ")}`;
}

/** The rollups of days before the through setting, summed per day (several hours of a day share a daily row). */
function dailyUpsert(param: string, settingParam: string): string {
  const day = `r.${hourly.column.hour} / ${DAY_HOURS}`;
  const conflictKey = [daily.column.accountId, daily.column.day, ...dimensionColumns.slice(1)];
  return `INSERT INTO ${daily.table} (${[daily.column.day, ...dimensionColumns, ...sumColumns].join(", ")})
    SELECT ${[day, ...dimensionColumns.map((name) => `r.${name}`), ...sumColumns.map((name) => `SUM(r.${name})`)].join(", ")}
    FROM json_to_recordset(${param}::text::json) AS r${recordset}
    WHERE ${day} < (SELECT s.${setting.column.value}::bigint FROM ${setting.table} s WHERE s.${setting.column.key} = ${settingParam})
    GROUP BY ${[day, ...dimensionColumns.map((name) => `r.${name}`)].join(", ")}
    ORDER BY r.${daily.column.accountId}, 1, ${dimensionColumns.slice(1).map((name) => `r.${name}`).join(", ")}
    ON CONFLICT (${conflictKey.join(", ")}) DO UPDATE SET ${sumColumns.map((name) => `${name} = ${daily.table}.${name} + excluded.${name}`).join(", ")}`;
}

/** The statement and its values: the companion write (if any), the daily upsert (if asked), then the hourly upsert. */
function statement(rollups: string, companion: CompanionWrite | undefined, withDaily: boolean): { text: string; values: unknown[] } {
  const ctes: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => (values.push(value), `$${values.length}`);
  if (companion !== undefined) ctes.push(`companion AS (${companion.sql(bind(companion.value))})`);
  const rollupsParam = bind(rollups);
  if (withDaily) ctes.push(`late AS (${dailyUpsert(rollupsParam, bind(DAILY_THROUGH_SETTING))})`);
  return { text: `${ctes.length > 0 ? `WITH ${ctes.join(", ")} ` : ""}${hourlyUpsert(rollupsParam)}`, values };
}

/** Rollups as recordset JSON, sorted by the primary key (account, hour, team, project, provider, model, key source). */
function rollupsJson(rollups: readonly UsageRollup[]): string {
  const sortKey = (r: UsageRollup) => [r.accountId, String(r.hour).padStart(16, "0"), r.teamId, r.projectTag, r.provider, r.model, r.keySource];
  const keyed = rollups.map((rollup) => ({ rollup, key: sortKey(rollup) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return (a.key[i] as string) < (b.key[i] as string) ? -1 : 1;
    return 0;
  });
  return JSON.stringify(
    keyed.map(({ rollup }) => {
      const record: Record<string, string | number> = { [hourly.column.hour]: rollup.hour };
      ROLLUP_DIMENSIONS.forEach((key, i) => (record[dimensionColumns[i] as string] = rollup[key]));
      ROLLUP_SUMS.forEach((key, i) => (record[sumColumns[i] as string] = rollup[key]));
      for (let i = 0; i < LATENCY_BUCKETS; i++) record[buckets[i] as string] = rollup.latencyHistogram[i] ?? 0;
      return record;
    }),
  );
}

/**
 * Adds rollups to the stored ones, together with the companion write, atomically. A batch whose days no gateway's
 * clock has left yet (the usual case) is one statement, one round trip; an older one takes ROLLUP_LOCK shared first
 * (so a compaction is either wholly before it, and its rows go to the daily rollups too, or wholly after it).
 */
export function rollupWriter(sql: SQL, now: () => number = Date.now) {
  return async (rollups: readonly UsageRollup[], companion?: CompanionWrite): Promise<void> => {
    if (rollups.length === 0 && companion === undefined) return;
    const mayBeCompacted = Math.floor((now() + CLOCK_SKEW_MS) / HOUR_MS / DAY_HOURS);
    const late = rollups.some((rollup) => Math.floor(rollup.hour / DAY_HOURS) < mayBeCompacted);
    const { text, values } = statement(rollupsJson(rollups), companion, late);
    if (!late) {
      await sql.unsafe(text, values);
      return;
    }
    await sql.begin(async (tx) => {
      await tx.unsafe(`SELECT pg_advisory_xact_lock_shared(${ROLLUP_LOCK})`);
      await tx.unsafe(text, values);
    });
  };
}
