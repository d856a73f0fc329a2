// Usage records: written in batches off the response path, read for analytics.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { usageRecords } from "./schema.ts";

export type UsageRecord = typeof usageRecords.$inferInsert;
export type StoredUsage = typeof usageRecords.$inferSelect;

export function usageRepo(db: Db) {
  return {
    async insertMany(rows: UsageRecord[]): Promise<void> {
      if (rows.length === 0) return;
      db.transaction((tx) => {
        tx.insert(usageRecords).values(rows).run();
      });
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

export type UsageRepo = ReturnType<typeof usageRepo>;
