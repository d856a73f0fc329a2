// Usage records: written in batches off the response path (one cached prepared statement in one transaction),
// read for analytics.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { usageRecords } from "./schema.ts";
import { preparedInsert } from "./table-sql.ts";
import type { StoredUsage, UsageRecord, UsageRepo } from "../repositories/usage.ts";

export function usageRepo(db: Db): UsageRepo {
  // Batches arrive every half second under load: a cached prepared statement keeps each flush to
  // microseconds a row, where building one multi-row insert blocked the event loop for milliseconds.
  const insertAll = preparedInsert(db.$client, usageRecords);
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
  };
}
