// Alerts on Postgres: definitions, firing claims (a unique (alert, window) row inserted before anyone is notified, so
// an alert fires once per window across gateways), the events list, and the BYOK figures alerts are evaluated on,
// summed from the hourly usage rollups.
import type { SQL } from "bun";
import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import {
  type AlertEventQuery,
  type AlertEventRecord,
  type AlertFiring,
  type AlertRecord,
  type AlertScope,
  type AlertsRepo,
  type FigureFilter,
  type HourFigures,
  type NewAlertEvent,
} from "../repositories/alerts.ts";
import type { PgDb } from "./database.ts";
import { byokRollupConditions } from "../alert-conditions.ts";
import { scopeConditions } from "../scope-conditions.ts";
import { alertEvents, alertFirings, alerts, usageRollups } from "./schema.ts";

const scoped = scopeConditions;
const byokRollups = (accountId: string, fromHour: number, toHour: number, filter?: FigureFilter) =>
  byokRollupConditions(usageRollups, accountId, fromHour, toHour, filter);

export function alertsRepo(db: PgDb, _sql: SQL): AlertsRepo {
  return {
    /** One multi-row INSERT: every alert or none. */
    async createMany(rows: AlertRecord[]): Promise<void> {
      if (rows.length === 0) return;
      await db.insert(alerts).values(rows);
    },
    async list(scope: AlertScope): Promise<AlertRecord[]> {
      const conditions = scoped(alerts.accountId, alerts.teamId, scope);
      return db
        .select()
        .from(alerts)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(asc(alerts.createdAt), asc(alerts.id));
    },
    async get(id: string): Promise<AlertRecord | undefined> {
      const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
      return row;
    },
    async remove(id: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const gone = await tx.delete(alerts).where(eq(alerts.id, id)).returning({ id: alerts.id });
        await tx.delete(alertFirings).where(eq(alertFirings.alertId, id));
        return gone.length > 0;
      });
    },
    /**
     * The alert row is read with a share lock, so a removal waits for the claim to commit (and then deletes its firing
     * too) or goes first (and the claim finds no alert). The firing row's unique (alert, window) key decides between
     * claims of one window from any number of gateways: a second insert waits for the first and then inserts nothing.
     */
    async claimFiring(firing: AlertFiring, event: NewAlertEvent): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [alive] = await tx.select({ id: alerts.id }).from(alerts).where(eq(alerts.id, firing.alertId)).for("share");
        if (alive === undefined) return false;
        const claimed = await tx.insert(alertFirings).values(firing).onConflictDoNothing().returning({ id: alertFirings.id });
        if (claimed.length === 0) return false;
        await tx.insert(alertEvents).values(event);
        return true;
      });
    },
    async recordEvent(event: NewAlertEvent): Promise<void> {
      await db.insert(alertEvents).values(event);
    },
    async events(query: AlertEventQuery): Promise<AlertEventRecord[]> {
      const conditions = scoped(alertEvents.accountId, alertEvents.teamId, query);
      if (query.alertId !== undefined) conditions.push(eq(alertEvents.alertId, query.alertId));
      if (query.firingId !== undefined) conditions.push(eq(alertEvents.firingId, query.firingId));
      if (query.kind !== undefined) conditions.push(eq(alertEvents.kind, query.kind));
      if (query.beforeId !== undefined) conditions.push(lt(alertEvents.id, query.beforeId));
      return db
        .select()
        .from(alertEvents)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(alertEvents.id))
        .limit(query.limit);
    },
    // SUM of bigint is numeric and MIN of bigint is bigint: both arrive as strings and are converted with Number().
    async byokCost(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter): Promise<number> {
      const [row] = await db
        .select({ cost: sql<string>`coalesce(sum(${usageRollups.listCostMicros}), 0)` })
        .from(usageRollups)
        .where(and(...byokRollups(accountId, fromHour, toHour, filter)));
      return Number(row?.cost ?? 0);
    },
    async byokHourly(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter): Promise<HourFigures[]> {
      const rows = await db
        .select({
          hour: usageRollups.hour,
          requests: sql<string>`sum(${usageRollups.requests})`,
          costMicros: sql<string>`sum(${usageRollups.listCostMicros})`,
        })
        .from(usageRollups)
        .where(and(...byokRollups(accountId, fromHour, toHour, filter)))
        .groupBy(usageRollups.hour)
        .orderBy(asc(usageRollups.hour));
      return rows.map((row) => ({ hour: Number(row.hour), requests: Number(row.requests), costMicros: Number(row.costMicros) }));
    },
    async byokPairs(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter) {
      const rows = await db
        .select({ provider: usageRollups.provider, model: usageRollups.model, firstHour: sql<string>`min(${usageRollups.hour})` })
        .from(usageRollups)
        .where(and(...byokRollups(accountId, fromHour, toHour, filter)))
        .groupBy(usageRollups.provider, usageRollups.model)
        .orderBy(asc(usageRollups.provider), asc(usageRollups.model));
      return rows.map((row) => ({ provider: row.provider, model: row.model, firstHour: Number(row.firstHour) }));
    },
    async byokUsedBefore(accountId: string, beforeHour: number, what: { provider: string; model?: string; teamId?: string }): Promise<boolean> {
      const conditions = byokRollups(accountId, Number.MIN_SAFE_INTEGER, beforeHour, { teamId: what.teamId, provider: what.provider });
      if (what.model !== undefined) conditions.push(eq(usageRollups.model, what.model));
      const found = await db.select({ hour: usageRollups.hour }).from(usageRollups).where(and(...conditions)).limit(1);
      return found.length > 0;
    },
  };
}
