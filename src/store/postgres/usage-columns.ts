// The SQL names of the usage tables (raw rows, hourly and daily rollups) and their columns, read from the drizzle
// pg-core schema, for the raw SQL of the usage ledger's hot paths; and the conversion of raw-query numbers.
import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { LATENCY_BUCKETS, latencyBucketField } from "../usage-rollup.ts";
import { usageRollups } from "./schema.ts";

/** The table's SQL name and each property's column name. */
export function pgNames<T extends PgTable>(table: T): { table: string; column: Record<keyof T["_"]["columns"], string> } {
  const column = Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, col]) => [key, col.name]));
  return { table: getTableName(table), column: column as Record<keyof T["_"]["columns"], string> };
}

/** The rollup key's dimensions besides the time column, in the primary key's order. */
export const ROLLUP_DIMENSIONS = ["accountId", "teamId", "projectTag", "provider", "model", "keySource"] as const;
/** The summed figures of a rollup (the latency buckets apart). */
export const ROLLUP_SUMS = ["requests", "errors", "inputTokens", "outputTokens", "costMicros", "listCostMicros", "latencyMsSum"] as const;

/** The SQL name of each latency bucket's column, bucket 0 first (the same in hourly and daily rollups). */
export function latencyBucketColumns(): string[] {
  const column = pgNames(usageRollups).column as Record<string, string>;
  return Array.from({ length: LATENCY_BUCKETS }, (_, i) => column[latencyBucketField(i)] as string);
}

/** A raw query's bigint or numeric value (Bun SQL answers them as strings) as a number; NULL as 0. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
