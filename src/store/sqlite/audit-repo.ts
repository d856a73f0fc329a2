// The audit log: who added, rotated, removed or used which stored key, when, with what outcome.
import { and, desc } from "drizzle-orm";
import { auditConditions } from "../audit-conditions.ts";
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
      const conditions = auditConditions(auditEvents, q);
      if (conditions === undefined) return [];
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

