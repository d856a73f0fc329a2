// The filter of an audit query, over either driver's audit_events columns (drizzle's operators build the same SQL for
// SQLite and Postgres).
import { type Column, eq, gte, inArray, lte, or, type SQL } from "drizzle-orm";
import type { AuditQuery } from "./repositories/audit.ts";

export interface AuditColumns {
  accountId: Column;
  action: Column;
  keyId: Column;
  provider: Column;
  actor: Column;
  createdAt: Column;
}

/** The conditions of the query (all must hold), or undefined when nothing can match (a team with no footprint). */
export function auditConditions(columns: AuditColumns, q: AuditQuery): SQL[] | undefined {
  const conditions: SQL[] = [];
  if (q.accountId !== undefined) conditions.push(eq(columns.accountId, q.accountId));
  if (q.action !== undefined) conditions.push(eq(columns.action, q.action));
  if (q.keyId !== undefined) conditions.push(eq(columns.keyId, q.keyId));
  if (q.provider !== undefined) conditions.push(eq(columns.provider, q.provider));
  if (q.actor !== undefined) conditions.push(eq(columns.actor, q.actor));
  if (q.since !== undefined) conditions.push(gte(columns.createdAt, q.since));
  if (q.until !== undefined) conditions.push(lte(columns.createdAt, q.until));
  if (q.team !== undefined) {
    const mine: SQL[] = [];
    if (q.team.actors.length > 0) mine.push(inArray(columns.actor, q.team.actors));
    if (q.team.keyIds.length > 0) mine.push(inArray(columns.keyId, q.team.keyIds));
    const either = or(...mine);
    if (either === undefined) return undefined;
    conditions.push(either);
  }
  return conditions;
}
