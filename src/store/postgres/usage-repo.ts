// Usage records on Postgres: each batch is ONE statement (a multi-row insert from a JSON recordset, with the batch's
// hourly rollups upserted by the same statement: rollup-upsert.ts), pruned in slices, paged for exports in
// (created_at, id) keyset order, summed by the database for analytics (usage-grouping.ts).
import type { SQL } from "bun";
import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql as dsql, type SQL as Condition } from "drizzle-orm";
import { getTableColumns } from "drizzle-orm";
import { rollUp } from "../usage-rollup.ts";
import type { StoredUsage, UsageCursor, UsagePageFilter, UsageRecord, UsageRepo } from "../repositories/usage.ts";
import type { UsageDimension, UsageGroup, UsageSlice } from "../repositories/usage-rollups.ts";
import type { PgDb } from "./database.ts";
import { rollupWriter, type CompanionWrite } from "./rollup-upsert.ts";
import { usageRecords } from "./schema.ts";
import { pgNames } from "./usage-columns.ts";
import { rawGrouping } from "./usage-grouping.ts";

const raw = pgNames(usageRecords);

/**
 * The raw rows' multi-row insert, as a CTE of the rollups' upsert: every column from a JSON recordset, in the
 * batch's order (ids ascend with it), a missing value taking the column's default. An id given by the caller is kept,
 * and the id sequence is then moved past it.
 */
function rawInsert() {
  const columns = Object.entries(getTableColumns(usageRecords)).map(([key, col]) => ({
    key,
    name: col.name,
    type: col.getSQLType() === "bigserial" ? "bigint" : col.getSQLType(),
    fallback: col.hasDefault && col.default !== undefined ? col.default : null,
  }));
  const withoutId = columns.filter((col) => col.key !== "id");
  const recordset = `(${columns.map((col) => `${col.name} ${col.type}`).join(", ")})`;
  const sequence = `pg_get_serial_sequence('${raw.table}', '${raw.column.id}')`;
  const statement = (withIds: boolean) => (param: string) => {
    const values = withoutId.map((col) => `r.${col.name}`);
    const targets = withoutId.map((col) => col.name);
    if (withIds) (targets.unshift(raw.column.id), values.unshift(`COALESCE(r.${raw.column.id}, nextval(${sequence}))`));
    return `INSERT INTO ${raw.table} (${targets.join(", ")}) SELECT ${values.join(", ")} FROM json_to_recordset(${param}::text::json) AS r${recordset}`;
  };
  const plain = statement(false);
  const keepingIds = statement(true);
  const json = (rows: readonly UsageRecord[]) =>
    JSON.stringify(
      rows.map((row) => {
        const record: Record<string, unknown> = {};
        for (const col of columns) record[col.name] = (row as Record<string, unknown>)[col.key] ?? col.fallback;
        return record;
      }),
    );
  return {
    write(rows: readonly UsageRecord[]): { companion: CompanionWrite; keepsIds: boolean } {
      const keepsIds = rows.some((row) => row.id !== undefined && row.id !== null);
      return { companion: { sql: keepsIds ? keepingIds : plain, value: json(rows) }, keepsIds };
    },
    /** Moves the id sequence past ids the caller gave (never backwards). */
    advanceSequence: `SELECT setval(s.seq, GREATEST(s.top, COALESCE(pg_sequence_last_value(s.seq), 1)))
      FROM (SELECT ${sequence}::regclass AS seq, (SELECT MAX(${raw.column.id}) FROM ${raw.table}) AS top) s WHERE s.top IS NOT NULL`,
  };
}

/** The conditions of one export page: the period, the filter, and the keyset position after `after`. */
function pageConditions(filter: UsagePageFilter, after: UsageCursor | undefined): (Condition | undefined)[] {
  const conditions: (Condition | undefined)[] = [lt(usageRecords.createdAt, filter.to)];
  if (after === undefined) conditions.push(gte(usageRecords.createdAt, filter.from));
  else {
    const at = Math.max(after.createdAt, filter.from);
    // (created_at, id) > (at, id), spelled so the created_at index bounds the range.
    conditions.push(gte(usageRecords.createdAt, at), or(gt(usageRecords.createdAt, at), gt(usageRecords.id, after.id)));
  }
  if (filter.accountId !== undefined) conditions.push(eq(usageRecords.accountId, filter.accountId));
  if (filter.teamId !== undefined) conditions.push(eq(usageRecords.teamId, filter.teamId));
  if (filter.apiKeyId !== undefined) conditions.push(eq(usageRecords.apiKeyId, filter.apiKeyId));
  if (filter.keySources !== undefined) {
    conditions.push(filter.keySources.length === 0 ? dsql`FALSE` : inArray(usageRecords.keySource, [...filter.keySources]));
  }
  return conditions;
}

export function usageRepo(db: PgDb, sql: SQL): UsageRepo {
  const writeRollups = rollupWriter(sql);
  const inserts = rawInsert();
  const groupedSums = rawGrouping(sql);
  return {
    async insertMany(rows: UsageRecord[]): Promise<void> {
      if (rows.length === 0) return;
      const { companion, keepsIds } = inserts.write(rows);
      await writeRollups(rollUp(rows), companion);
      if (keepsIds) await sql.unsafe(inserts.advanceSequence);
    },
    async recent(accountId: string, limit = 100): Promise<StoredUsage[]> {
      return db.select().from(usageRecords).where(eq(usageRecords.accountId, accountId)).orderBy(desc(usageRecords.id)).limit(limit);
    },
    async pruneBefore(cutoffMs: number, limit: number): Promise<number> {
      const deleted = await sql.unsafe(
        `DELETE FROM ${raw.table} WHERE ${raw.column.id} IN (SELECT ${raw.column.id} FROM ${raw.table} WHERE ${raw.column.createdAt} < $1 LIMIT $2)`,
        [cutoffMs, limit],
      );
      return deleted.count;
    },
    async pageForExport(filter: UsagePageFilter, after: UsageCursor | undefined, limit: number): Promise<StoredUsage[]> {
      return db
        .select()
        .from(usageRecords)
        .where(and(...pageConditions(filter, after)))
        .orderBy(asc(usageRecords.createdAt), asc(usageRecords.id))
        .limit(limit);
    },
    async aggregate(from: number, to: number, slice: UsageSlice & { apiKeyId?: string }, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> {
      return groupedSums(from, to, slice, groupBy);
    },
  };
}
