// Rows within a caller's scope (one account, and one team of it, when named), over either driver's columns
// (drizzle's operators build the same SQL for SQLite and Postgres).
import { type Column, eq, type SQL } from "drizzle-orm";

export function scopeConditions(accountColumn: Column, teamColumn: Column, scope: { accountId?: string; teamId?: string }): SQL[] {
  const conditions: SQL[] = [];
  if (scope.accountId !== undefined) conditions.push(eq(accountColumn, scope.accountId));
  if (scope.teamId !== undefined) conditions.push(eq(teamColumn, scope.teamId));
  return conditions;
}
