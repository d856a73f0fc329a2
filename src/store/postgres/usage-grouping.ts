// Grouped usage reads for analytics on Postgres, summed by the database: over the hourly or daily rollups (whole hours
// or days) and over raw usage rows (hours partly inside a period, or one keyway key's own calls). Both answer the same
// UsageGroup rows, absent dimension values as ''.
import type { SQL } from "bun";
import { LATENCY_BUCKETS, latencyBucketSql } from "../usage-rollup.ts";
import type { UsageDimension, UsageGroup, UsageSlice } from "../repositories/usage-rollups.ts";
import { latencyBucketColumns, num, pgNames, ROLLUP_SUMS } from "./usage-columns.ts";
import { usageRecords, usageRollups, usageRollupsDaily } from "./schema.ts";

type Value = string | number;
type Row = Record<string, unknown>;

/** The parts a grouped read differs in between rollups and raw rows. */
interface Source {
  table: string;
  /** A dimension's value, '' for absent. */
  dimension(dimension: UsageDimension): string;
  /** SQL summing each figure (requests, errors, ...) and each latency bucket ("b0", "b1", ...). */
  sums: string[];
}

function rollupSource(rollups: typeof usageRollups | typeof usageRollupsDaily): Source {
  const { table, column } = pgNames(rollups);
  return {
    table,
    dimension: (dimension) => column[dimension],
    sums: [
      ...ROLLUP_SUMS.map((figure) => `SUM(${column[figure]}) AS "${figure}"`),
      ...latencyBucketColumns().map((name, i) => `SUM(${name}) AS "b${i}"`),
    ],
  };
}

function rawSource(): Source {
  const { table, column } = pgNames(usageRecords);
  return {
    table,
    dimension: (dimension) => `COALESCE(${column[dimension]}, '')`,
    sums: [
      `COUNT(*) AS "requests"`,
      `COUNT(*) FILTER (WHERE ${column.status} >= 400) AS "errors"`,
      `SUM(${column.inputTokens}) AS "inputTokens"`,
      `SUM(${column.outputTokens}) AS "outputTokens"`,
      `SUM(${column.costMicros}) AS "costMicros"`,
      `SUM(${column.estimatedCostMicros}) AS "listCostMicros"`,
      `SUM(${column.latencyMs}) AS "latencyMsSum"`,
      ...Array.from({ length: LATENCY_BUCKETS }, (_, i) => `COUNT(*) FILTER (WHERE ${latencyBucketSql(column.latencyMs, i)}) AS "b${i}"`),
    ],
  };
}

function sliceConditions(source: Source, accountColumn: string, slice: UsageSlice, where: string[], values: Value[]): void {
  const bind = (value: Value) => (values.push(value), `$${values.length}`);
  if (slice.accountId !== undefined) where.push(`${accountColumn} = ${bind(slice.accountId)}`);
  for (const dimension of ["teamId", "projectTag", "provider"] as const) {
    const wanted = slice[dimension];
    if (wanted !== undefined) where.push(`${source.dimension(dimension)} = ${bind(wanted)}`);
  }
  if (slice.keySources !== undefined) {
    where.push(slice.keySources.length === 0 ? "FALSE" : `${source.dimension("keySource")} IN (${slice.keySources.map(bind).join(", ")})`);
  }
}

function toGroup(row: Row, groupBy: readonly UsageDimension[]): UsageGroup {
  const group: UsageGroup = {
    requests: num(row.requests),
    errors: num(row.errors),
    inputTokens: num(row.inputTokens),
    outputTokens: num(row.outputTokens),
    costMicros: num(row.costMicros),
    listCostMicros: num(row.listCostMicros),
    latencyMsSum: num(row.latencyMsSum),
    latencyHistogram: Array.from({ length: LATENCY_BUCKETS }, (_, i) => num(row[`b${i}`])),
  };
  for (const dimension of groupBy) group[dimension] = String(row[dimension] ?? "");
  return group;
}

/** The rows of one source with `rangeColumn` in [from, to) within the slice (and any extra conditions), summed per group. */
function groupedReader(sql: SQL, source: Source, rangeColumn: string, accountColumn: string) {
  return async (from: number, to: number, slice: UsageSlice, groupBy: readonly UsageDimension[], extra: [string, Value][] = []): Promise<UsageGroup[]> => {
    const values: Value[] = [from, to];
    const where = [`${rangeColumn} >= $1`, `${rangeColumn} < $2`];
    sliceConditions(source, accountColumn, slice, where, values);
    for (const [column, value] of extra) (values.push(value), where.push(`${column} = $${values.length}`));
    const dims = [...new Set(groupBy)];
    const select = [...dims.map((d) => `${source.dimension(d)} AS "${d}"`), ...source.sums].join(", ");
    const groupClause = dims.length > 0 ? ` GROUP BY ${dims.map((d) => source.dimension(d)).join(", ")}` : "";
    const rows: Row[] = await sql.unsafe(`SELECT ${select} FROM ${source.table} WHERE ${where.join(" AND ")}${groupClause}`, values);
    // Without GROUP BY an aggregate answers one row even over nothing: no calls means no group.
    return rows.filter((row) => num(row.requests) > 0).map((row) => toGroup(row, dims));
  };
}

/** Rollups of hours in [fromHour, toHour), summed per group. */
export function rollupGrouping(sql: SQL) {
  const { column } = pgNames(usageRollups);
  const read = groupedReader(sql, rollupSource(usageRollups), column.hour, column.accountId);
  return (fromHour: number, toHour: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> =>
    read(fromHour, toHour, slice, groupBy);
}

/** Daily rollups of UTC days in [fromDay, toDay), summed per group. */
export function dailyGrouping(sql: SQL) {
  const { column } = pgNames(usageRollupsDaily);
  const read = groupedReader(sql, rollupSource(usageRollupsDaily), column.day, column.accountId);
  return (fromDay: number, toDay: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> =>
    read(fromDay, toDay, slice, groupBy);
}

/** Raw rows created in [from, to) (epoch ms), optionally of one keyway key only, summed per group. */
export function rawGrouping(sql: SQL) {
  const { column } = pgNames(usageRecords);
  const read = groupedReader(sql, rawSource(), column.createdAt, column.accountId);
  return (from: number, to: number, slice: UsageSlice & { apiKeyId?: string }, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> =>
    read(from, to, slice, groupBy, slice.apiKeyId === undefined ? [] : [[column.apiKeyId, slice.apiKeyId]]);
}
