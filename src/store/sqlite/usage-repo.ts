// Usage records: written in batches off the response path (one cached prepared statement in one transaction, with
// the batch's hourly rollups upserted in the same transaction), pruned in slices, read for analytics.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { preparedRollupUpsert } from "./rollup-upsert.ts";
import { usageRecords } from "./schema.ts";
import { preparedRowInsert, sqlNames } from "./table-sql.ts";
import { rollUp } from "../usage-rollup.ts";
import type { StoredUsage, UsageRecord, UsageRepo } from "../repositories/usage.ts";

export function usageRepo(db: Db): UsageRepo {
  const sqlite = db.$client;
  // Batches arrive every half second under load: cached prepared statements keep each flush to microseconds a
  // row, where building one multi-row insert blocked the event loop for milliseconds. Rollups cost one upsert
  // per distinct (hour, account, team, project, provider, model, key source) of the batch.
  const insertRow = preparedRowInsert(sqlite, usageRecords);
  const upsertRollups = preparedRollupUpsert(sqlite);
  const insertAll = sqlite.transaction((rows: UsageRecord[]) => {
    for (const row of rows) insertRow(row);
    upsertRollups(rollUp(rows));
  });
  const { table, column } = sqlNames(usageRecords);
  const pruneSlice = sqlite.prepare<never, [number, number]>(
    `DELETE FROM ${table} WHERE ${column.id} IN (SELECT ${column.id} FROM ${table} WHERE ${column.createdAt} < ? LIMIT ?)`,
  );
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
  };
}
