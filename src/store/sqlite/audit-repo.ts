// The audit log: who added, rotated, removed or used which stored key, when, with what outcome.
import { and, desc, eq, gte, inArray, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "./database.ts";
import { auditEvents } from "./schema.ts";
import { preparedInsert } from "./table-sql.ts";
import type { AuditEvent, AuditQuery, AuditRepo, StoredAuditEvent } from "../repositories/audit.ts";

export function auditRepo(db: Db): AuditRepo {
  // Key uses arrive once per request: a cached prepared statement keeps their batches cheap.
  const insertAll = preparedInsert(db.$client, auditEvents);
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

