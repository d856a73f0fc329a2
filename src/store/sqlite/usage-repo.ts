// Usage records: written in batches off the response path (cached multi-row prepared inserts in one transaction, with
// the batch's hourly rollups upserted in the same transaction), pruned in slices, read for analytics.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { preparedRollupUpsert } from "./rollup-upsert.ts";
import { usageRecords } from "./schema.ts";
import { preparedRowsInsert, sqlNames } from "./table-sql.ts";
import { rawGrouping } from "./usage-grouping.ts";
import { rollUp } from "../usage-rollup.ts";
import type { StoredUsage, UsageCursor, UsagePageFilter, UsageRecord, UsageRepo } from "../repositories/usage.ts";
import type { UsageDimension, UsageGroup, UsageSlice } from "../repositories/usage-rollups.ts";

/**
 * Export pages: keyset reads in (created_at, id) order over the (account_id, created_at) or (created_at) index
 * (each holds the rowid), one cached statement per filter shape, rows read back under their property names.
 */
function exportPager(sqlite: Db["$client"]) {
  const { table, column } = sqlNames(usageRecords);
  const select = Object.entries(column).map(([key, name]) => (key === name ? name : `${name} AS ${key}`)).join(", ");
  const statements = new Map<string, ReturnType<typeof sqlite.prepare<StoredUsage, (string | number)[]>>>();
  return (filter: UsagePageFilter, after: UsageCursor | undefined, limit: number): StoredUsage[] => {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.accountId !== undefined) (where.push(`${column.accountId} = ?`), values.push(filter.accountId));
    if (after === undefined) (where.push(`${column.createdAt} >= ?`), values.push(filter.from));
    else (where.push(`(${column.createdAt}, ${column.id}) > (?, ?)`), values.push(Math.max(after.createdAt, filter.from), after.id));
    where.push(`${column.createdAt} < ?`);
    values.push(filter.to);
    if (filter.teamId !== undefined) (where.push(`${column.teamId} = ?`), values.push(filter.teamId));
    if (filter.apiKeyId !== undefined) (where.push(`${column.apiKeyId} = ?`), values.push(filter.apiKeyId));
    if (filter.keySources !== undefined) {
      where.push(filter.keySources.length === 0 ? "0" : `${column.keySource} IN (${filter.keySources.map(() => "?").join(", ")})`);
      values.push(...filter.keySources);
    }
    const sql = `SELECT ${select} FROM ${table} WHERE ${where.join(" AND ")} ORDER BY ${column.createdAt}, ${column.id} LIMIT ?`;
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = sqlite.prepare<StoredUsage, (string | number)[]>(sql)));
    const rows = statement.all(...values, limit);
    for (const row of rows) {
      row.byok = Boolean(row.byok);
      row.usageEstimated = Boolean(row.usageEstimated);
    }
    return rows;
  };
}

export function usageRepo(db: Db): UsageRepo {
  const sqlite = db.$client;
  // A batch arrives at every turn of the event loop under load: cached prepared statements of up to 16 rows each
  // keep a flush to microseconds a row (building a batch's SQL text each time blocked the event loop for
  // milliseconds). Rollups cost one upsert per distinct (hour, account, team, project, provider, model, key
  // source) of the batch.
  const insertRows = preparedRowsInsert(sqlite, usageRecords);
  const upsertRollups = preparedRollupUpsert(sqlite);
  const insertAll = sqlite.transaction((rows: UsageRecord[]) => {
    insertRows(rows);
    upsertRollups(rollUp(rows));
  });
  const { table, column } = sqlNames(usageRecords);
  const pruneSlice = sqlite.prepare<never, [number, number]>(
    `DELETE FROM ${table} WHERE ${column.id} IN (SELECT ${column.id} FROM ${table} WHERE ${column.createdAt} < ? LIMIT ?)`,
  );
  const exportPage = exportPager(sqlite);
  const groupedSums = rawGrouping(sqlite);
  return {
    async insertMany(rows: UsageRecord[]): Promise<void> {
      if (rows.length > 0) insertAll(rows);
    },
    async recent(accountId: string, limit = 100): Promise<StoredUsage[]> {
      return db
        .select()
        .from(usageRecords)
        .where(eq(usageRecords.accountId, accountId))
        .orderBy(desc(usageRecords.id))
        .limit(limit)
        .all();
    },
    async pruneBefore(cutoffMs: number, limit: number): Promise<number> {
      return pruneSlice.run(cutoffMs, limit).changes;
    },
    async pageForExport(filter: UsagePageFilter, after: UsageCursor | undefined, limit: number): Promise<StoredUsage[]> {
      return exportPage(filter, after, limit);
    },
    async aggregate(from: number, to: number, slice: UsageSlice & { apiKeyId?: string }, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]> {
      return groupedSums(from, to, slice, groupBy);
    },
  };
}
