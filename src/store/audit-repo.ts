// The audit log: who added, rotated, removed or used which stored key, when, with what outcome.
import { and, desc, eq, gte, inArray, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "./database.ts";
import { auditEvents } from "./schema.ts";

export type AuditEvent = typeof auditEvents.$inferInsert;
export type StoredAuditEvent = typeof auditEvents.$inferSelect;

export interface AuditQuery {
  accountId?: string;
  action?: string;
  keyId?: string;
  provider?: string;
  actor?: string;
  since?: number;
  until?: number;
  /** Only events a team's keys did or its stored provider keys underwent. */
  team?: { actors: string[]; keyIds: string[] };
  limit: number;
}

export function auditRepo(db: Db) {
  // Key uses arrive once per request: a cached prepared statement keeps their batches cheap.
  const insert = db.$client.prepare(
    "INSERT INTO audit_events (account_id, actor, action, key_id, provider, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertAll = db.$client.transaction((rows: AuditEvent[]) => {
    for (const r of rows) {
      insert.run(r.accountId, r.actor, r.action, r.keyId ?? null, r.provider ?? null, r.outcome, r.detail ? JSON.stringify(r.detail) : null, r.createdAt);
    }
  });
  return {
    async insertMany(rows: AuditEvent[]): Promise<void> {
      if (rows.length > 0) insertAll(rows);
    },
    async query(q: AuditQuery): Promise<StoredAuditEvent[]> {
      const conditions: SQL[] = [];
      if (q.accountId !== undefined) conditions.push(eq(auditEvents.accountId, q.accountId));
      if (q.action !== undefined) conditions.push(eq(auditEvents.action, q.action));
      if (q.keyId !== undefined) conditions.push(eq(auditEvents.keyId, q.keyId));
      if (q.provider !== undefined) conditions.push(eq(auditEvents.provider, q.provider));
      if (q.actor !== undefined) conditions.push(eq(auditEvents.actor, q.actor));
      if (q.since !== undefined) conditions.push(gte(auditEvents.createdAt, q.since));
      if (q.until !== undefined) conditions.push(lte(auditEvents.createdAt, q.until));
      if (q.team !== undefined) {
        const mine = or(inArray(auditEvents.actor, q.team.actors), inArray(auditEvents.keyId, q.team.keyIds));
        if (mine === undefined) return [];
        conditions.push(mine);
      }
      return db
        .select()
        .from(auditEvents)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(auditEvents.id))
        .limit(q.limit)
        .all();
    },
  };
}

export type AuditRepo = ReturnType<typeof auditRepo>;
