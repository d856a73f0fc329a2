// Grouped usage reads for analytics, summed by the database: over the hourly rollups (whole hours) and over raw
// usage rows (hours partly inside a period, or one keyway key's own calls). One cached prepared statement per
// query shape; both answer the same UsageGroup rows, absent dimension values as ''.
import type { Database } from "bun:sqlite";
import { LATENCY_BUCKETS, latencyBucketSql } from "../usage-rollup.ts";
import type { UsageDimension, UsageGroup, UsageSlice } from "../repositories/usage-rollups.ts";
import { latencyBucketColumns } from "./rollup-upsert.ts";
import { usageRecords, usageRollups, usageRollupsDaily } from "./schema.ts";
import { sqlNames } from "./table-sql.ts";

type Value = string | number;
type Row = Record<string, Value>;

/** The parts a grouped read differs in between rollups and raw rows. */
interface Source {
  table: string;
  /** A dimension's value, '' for absent. */
  dimension(dimension: UsageDimension): string;
  /** SQL summing each figure (requests, errors, ...) and each latency bucket (b0, b1, ...). */
  sums: string[];
}

const FIGURES = ["requests", "errors", "inputTokens", "outputTokens", "costMicros", "listCostMicros", "latencyMsSum"] as const;

function rollupSource(rollups: typeof usageRollups | typeof usageRollupsDaily): Source {
  const { table, column } = sqlNames(rollups);
  return {
    table,
    dimension: (dimension) => column[dimension],
    sums: [
      ...FIGURES.map((figure) => `SUM(${column[figure]}) AS ${figure}`),
      ...latencyBucketColumns().map((name, i) => `SUM(${name}) AS b${i}`),
    ],
  };
}

function rawSource(): Source {
  const { table, column } = sqlNames(usageRecords);
  return {
    table,
    dimension: (dimension) => `COALESCE(${column[dimension]}, '')`,
    sums: [
      "COUNT(*) AS requests",
      `SUM(CASE WHEN ${column.status} >= 400 THEN 1 ELSE 0 END) AS errors`,
      `SUM(${column.inputTokens}) AS inputTokens`,
      `SUM(${column.outputTokens}) AS outputTokens`,
      `SUM(${column.costMicros}) AS costMicros`,
      `SUM(${column.estimatedCostMicros}) AS listCostMicros`,
      `SUM(${column.latencyMs}) AS latencyMsSum`,
      ...Array.from({ length: LATENCY_BUCKETS }, (_, i) => `SUM(CASE WHEN ${latencyBucketSql(column.latencyMs, i)} THEN 1 ELSE 0 END) AS b${i}`),
    ],
  };
}

function sliceConditions(source: Source, accountColumn: string, slice: UsageSlice, where: string[], values: Value[]): void {
  if (slice.accountId !== undefined) (where.push(`${accountColumn} = ?`), values.push(slice.accountId));
  for (const dimension of ["teamId", "projectTag", "provider"] as const) {
    const wanted = slice[dimension];
    if (wanted !== undefined) (where.push(`${source.dimension(dimension)} = ?`), values.push(wanted));
  }
  if (slice.keySources !== undefined) {
    where.push(slice.keySources.length === 0 ? "0 = 1" : `${source.dimension("keySource")} IN (${slice.keySources.map(() => "?").join(", ")})`);
    values.push(...slice.keySources);
  }
}

function toGroup(row: Row, groupBy: readonly UsageDimension[]): UsageGroup {
  const group: UsageGroup = {
    requests: Number(row.requests ?? 0),
    errors: Number(row.errors ?? 0),
    inputTokens: Number(row.inputTokens ?? 0),
    outputTokens: Number(row.outputTokens ?? 0),
    costMicros: Number(row.costMicros ?? 0),
    listCostMicros: Number(row.listCostMicros ?? 0),
    latencyMsSum: Number(row.latencyMsSum ?? 0),
    latencyHistogram: Array.from({ length: LATENCY_BUCKETS }, (_, i) => Number(row[`b${i}`] ?? 0)),
  };
  for (const dimension of groupBy) group[dimension] = String(row[dimension] ?? "");
  return group;
}

/**
 * A statement cache and runner for one source: the rows with `rangeColumn` in [from, to) within the slice (and
 * any extra conditions), summed per group; the SQL of each query shape is built and prepared once.
 */
function groupedReader(sqlite: Database, source: Source, rangeColumn: string, accountColumn: string) {
  const statements = new Map<string, ReturnType<typeof sqlite.prepare<Row, Value[]>>>();
  return (from: number, to: number, slice: UsageSlice, groupBy: readonly UsageDimension[], extra: [string, Value][] = []): UsageGroup[] => {
    const where = [`${rangeColumn} >= ?`, `${rangeColumn} < ?`];
    const values: Value[] = [from, to];
    sliceConditions(source, accountColumn, slice, where, values);
    for (const [condition, value] of extra) (where.push(condition), values.push(value));
    const dims = [...new Set(groupBy)];
    const select = [...dims.map((d) => `${source.dimension(d)} AS ${d}`), ...source.sums].join(", ");
    const groupClause = dims.length > 0 ? ` GROUP BY ${dims.map((d) => source.dimension(d)).join(", ")}` : "";
    const sql = `SELECT ${select} FROM ${source.table} WHERE ${where.join(" AND ")}${groupClause}`;
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = sqlite.prepare<Row, Value[]>(sql)));
    // Without GROUP BY an aggregate answers one row even over nothing: no calls means no group.
    return statement.all(...values).filter((row) => Number(row.requests ?? 0) > 0).map((row) => toGroup(row, dims));
  };
}

/** Rollups of hours in [fromHour, toHour), summed per group. */
export function rollupGrouping(sqlite: Database) {
  const { column } = sqlNames(usageRollups);
  const read = groupedReader(sqlite, rollupSource(usageRollups), column.hour, column.accountId);
  return (fromHour: number, toHour: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): UsageGroup[] =>
    read(fromHour, toHour, slice, groupBy);
}

/** Daily rollups of UTC days in [fromDay, toDay), summed per group. */
export function dailyGrouping(sqlite: Database) {
  const { column } = sqlNames(usageRollupsDaily);
  const read = groupedReader(sqlite, rollupSource(usageRollupsDaily), column.day, column.accountId);
  return (fromDay: number, toDay: number, slice: UsageSlice, groupBy: readonly UsageDimension[]): UsageGroup[] =>
    read(fromDay, toDay, slice, groupBy);
}

/** Raw rows created in [from, to) (epoch ms), optionally of one keyway key only, summed per group. */
export function rawGrouping(sqlite: Database) {
  const { column } = sqlNames(usageRecords);
  const read = groupedReader(sqlite, rawSource(), column.createdAt, column.accountId);
  return (from: number, to: number, slice: UsageSlice & { apiKeyId?: string }, groupBy: readonly UsageDimension[]): UsageGroup[] =>
    read(from, to, slice, groupBy, slice.apiKeyId === undefined ? [] : [[`${column.apiKeyId} = ?`, slice.apiKeyId]]);
}
