// Usage records: written in batches off the response path (one prepared statement in one transaction),
// read for analytics.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { usageRecords } from "./schema.ts";

export type UsageRecord = typeof usageRecords.$inferInsert;
export type StoredUsage = typeof usageRecords.$inferSelect;

// Batches arrive every half second under load: a cached prepared statement keeps each flush to
// microseconds a row, where building one multi-row insert blocked the event loop for milliseconds.
const COLUMNS = [
  "request_id", "account_id", "api_key_id", "team_id", "project_tag", "endpoint", "provider", "model", "key_source",
  "byok", "status", "input_tokens", "output_tokens", "usage_estimated", "cost_micros", "estimated_cost_micros", "attempts", "latency_ms", "created_at",
] as const;

function rowValues(row: UsageRecord): (string | number | null)[] {
  return [
    row.requestId, row.accountId, row.apiKeyId, row.teamId ?? null, row.projectTag ?? null, row.endpoint, row.provider ?? null,
    row.model ?? null, row.keySource ?? null, row.byok ? 1 : 0, row.status, row.inputTokens ?? 0, row.outputTokens ?? 0, row.usageEstimated ? 1 : 0,
    row.costMicros ?? 0, row.estimatedCostMicros ?? 0, row.attempts, row.latencyMs, row.createdAt,
  ];
}

export function usageRepo(db: Db) {
  const sqlite = db.$client;
  const insert = sqlite.prepare(`INSERT INTO usage_records (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
  const insertAll = sqlite.transaction((rows: UsageRecord[]) => {
    for (const row of rows) insert.run(...rowValues(row));
  });
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

export type UsageRepo = ReturnType<typeof usageRepo>;
