// The audit log on Postgres: who added, rotated, removed or used which stored key, when, with what outcome.
import type { SQL } from "bun";
import { and, desc } from "drizzle-orm";
import { auditConditions } from "../audit-conditions.ts";
import type { AuditEvent, AuditQuery, AuditRepo, StoredAuditEvent } from "../repositories/audit.ts";
import type { PgDb } from "./database.ts";
import { auditEvents } from "./schema.ts";

/** Rows per INSERT: well under Postgres's 65,535 bound parameters at nine columns a row. */
const ROWS_PER_INSERT = 5_000;

export function auditRepo(db: PgDb, _sql: SQL): AuditRepo {
  return {
    /** One multi-row INSERT (a few in one transaction for a very large batch). */
    async insertMany(rows: AuditEvent[]): Promise<void> {
      if (rows.length === 0) return;
      if (rows.length <= ROWS_PER_INSERT) {
        await db.insert(auditEvents).values(rows);
        return;
      }
      await db.transaction(async (tx) => {
        for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
          await tx.insert(auditEvents).values(rows.slice(at, at + ROWS_PER_INSERT));
        }
      });
    },
    async query(q: AuditQuery): Promise<StoredAuditEvent[]> {
      const conditions = auditConditions(auditEvents, q);
      if (conditions === undefined) return [];
      return db
        .select()
        .from(auditEvents)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(auditEvents.id))
        .limit(q.limit);
    },
  };
}
