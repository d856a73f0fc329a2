// Hourly usage rollups: read for analytics, and rebuilt from raw rows in slices (upserts during writes live in
// usage-repo.ts, through the same statement, rollup-upsert.ts).
import { and, asc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { Db } from "./database.ts";
import { preparedRollupUpsert } from "./rollup-upsert.ts";
import { usageRecords, usageRollups } from "./schema.ts";
import { sqlNames } from "./table-sql.ts";
import { epochHour, rollUp } from "../usage-rollup.ts";
import type { UsageRecord } from "../repositories/usage.ts";
import type { RollupFilter, RollupRebuild, UsageRollup, UsageRollupsRepo } from "../repositories/usage-rollups.ts";

type RawRow = Parameters<typeof rollUp>[0][number] & { id: number };

export function usageRollupsRepo(db: Db): UsageRollupsRepo {
  const sqlite = db.$client;
  const upsertRollups = preparedRollupUpsert(sqlite);
  const raw = sqlNames(usageRecords);
  const rolled = sqlNames(usageRollups);
  const read: (keyof UsageRecord)[] = [
    "id", "accountId", "teamId", "projectTag", "provider", "model", "keySource", "status", "inputTokens", "outputTokens",
    "costMicros", "estimatedCostMicros", "latencyMs", "createdAt",
  ];
  const readSlice = sqlite.prepare<RawRow, [number, number, number]>(
    `SELECT ${read.map((key) => `${raw.column[key]} AS ${key}`).join(", ")} FROM ${raw.table}
     WHERE ${raw.column.id} > ? AND ${raw.column.id} <= ? ORDER BY ${raw.column.id} LIMIT ?`,
  );
  const span = sqlite.prepare<{ oldest: number | null; lastId: number | null; total: number }, []>(
    `SELECT MIN(${raw.column.createdAt}) AS oldest, MAX(${raw.column.id}) AS lastId, COUNT(*) AS total FROM ${raw.table}`,
  );
  const clearFrom = sqlite.prepare<never, [number]>(`DELETE FROM ${rolled.table} WHERE ${rolled.column.hour} >= ?`);

  const start = sqlite.transaction((): RollupRebuild => {
    const found = span.get();
    if (!found || found.oldest === null || found.lastId === null) return { fromHour: undefined, lastId: 0, total: 0 };
    const fromHour = epochHour(found.oldest);
    clearFrom.run(fromHour);
    return { fromHour, lastId: found.lastId, total: found.total };
  });
  const slice = sqlite.transaction((afterId: number, upToId: number, limit: number) => {
    const rows = readSlice.all(afterId, upToId, limit);
    upsertRollups(rollUp(rows));
    return { lastId: rows.at(-1)?.id ?? upToId, rows: rows.length };
  });

  return {
    async between(accountId: string, fromHour: number, toHour: number, filter: RollupFilter = {}): Promise<UsageRollup[]> {
      const conditions: SQL[] = [eq(usageRollups.accountId, accountId), gte(usageRollups.hour, fromHour), lt(usageRollups.hour, toHour)];
      if (filter.teamId !== undefined) conditions.push(eq(usageRollups.teamId, filter.teamId));
      if (filter.provider !== undefined) conditions.push(eq(usageRollups.provider, filter.provider));
      return db
        .select()
        .from(usageRollups)
        .where(and(...conditions))
        .orderBy(asc(usageRollups.hour), asc(usageRollups.teamId), asc(usageRollups.projectTag), asc(usageRollups.provider), asc(usageRollups.model), asc(usageRollups.keySource))
        .all();
    },
    async startRebuild(): Promise<RollupRebuild> {
      // IMMEDIATE: no row is written between reading the last id and clearing, so none is counted twice or lost.
      return start.immediate();
    },
    async rebuildSlice(afterId: number, upToId: number, limit: number): Promise<{ lastId: number; rows: number }> {
      return slice.immediate(afterId, upToId, limit);
    },
  };
}
