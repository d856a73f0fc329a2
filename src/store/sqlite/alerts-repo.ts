// Alerts on SQLite: definitions, firing claims (a unique (alert, window) row inserted before anyone is notified),
// the events list, and the BYOK figures alerts are evaluated on, summed from the hourly usage rollups.
import { and, asc, desc, eq, lt, min, sql } from "drizzle-orm";
import type { Db } from "./database.ts";
import { byokRollupConditions } from "../alert-conditions.ts";
import { scopeConditions } from "../scope-conditions.ts";
import { alertEvents, alertFirings, alerts, usageRollups } from "./schema.ts";
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

const scoped = scopeConditions;
const byokRollups = (accountId: string, fromHour: number, toHour: number, filter?: FigureFilter) =>
  byokRollupConditions(usageRollups, accountId, fromHour, toHour, filter);

export function alertsRepo(db: Db): AlertsRepo {
  return {
    async createMany(rows: AlertRecord[]): Promise<void> {
      if (rows.length === 0) return;
      db.transaction((tx) => {
        tx.insert(alerts).values(rows).run();
      });
    },
    async list(scope: AlertScope): Promise<AlertRecord[]> {
      const conditions = scoped(alerts.accountId, alerts.teamId, scope);
      return db
        .select()
        .from(alerts)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(asc(alerts.createdAt), asc(alerts.id))
        .all();
    },
    async get(id: string): Promise<AlertRecord | undefined> {
      return db.select().from(alerts).where(eq(alerts.id, id)).get();
    },
    async remove(id: string): Promise<boolean> {
      return db.transaction((tx) => {
        const gone = tx.delete(alerts).where(eq(alerts.id, id)).returning({ id: alerts.id }).all();
        tx.delete(alertFirings).where(eq(alertFirings.alertId, id)).run();
        return gone.length > 0;
      });
    },
    async claimFiring(firing: AlertFiring, event: NewAlertEvent): Promise<boolean> {
      return db.transaction((tx) => {
        const alive = tx.select({ id: alerts.id }).from(alerts).where(eq(alerts.id, firing.alertId)).get();
        if (!alive) return false;
        const claimed = tx.insert(alertFirings).values(firing).onConflictDoNothing().returning({ id: alertFirings.id }).all();
        if (claimed.length === 0) return false;
        tx.insert(alertEvents).values(event).run();
        return true;
      });
    },
    async recordEvent(event: NewAlertEvent): Promise<void> {
      db.insert(alertEvents).values(event).run();
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
        .limit(query.limit)
        .all();
    },
    async byokCost(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter): Promise<number> {
      const row = db
        .select({ cost: sql<number>`coalesce(sum(${usageRollups.listCostMicros}), 0)` })
        .from(usageRollups)
        .where(and(...byokRollups(accountId, fromHour, toHour, filter)))
        .get();
      return Number(row?.cost ?? 0);
    },
    async byokHourly(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter): Promise<HourFigures[]> {
      const rows = db
        .select({
          hour: usageRollups.hour,
          requests: sql<number>`sum(${usageRollups.requests})`,
          costMicros: sql<number>`sum(${usageRollups.listCostMicros})`,
        })
        .from(usageRollups)
        .where(and(...byokRollups(accountId, fromHour, toHour, filter)))
        .groupBy(usageRollups.hour)
        .orderBy(asc(usageRollups.hour))
        .all();
      return rows.map((row) => ({ hour: row.hour, requests: Number(row.requests), costMicros: Number(row.costMicros) }));
    },
    async byokPairs(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter) {
      const rows = db
        .select({ provider: usageRollups.provider, model: usageRollups.model, firstHour: min(usageRollups.hour) })
        .from(usageRollups)
        .where(and(...byokRollups(accountId, fromHour, toHour, filter)))
        .groupBy(usageRollups.provider, usageRollups.model)
        .orderBy(asc(usageRollups.provider), asc(usageRollups.model))
        .all();
      return rows.map((row) => ({ provider: row.provider, model: row.model, firstHour: Number(row.firstHour) }));
    },
    async byokUsedBefore(accountId: string, beforeHour: number, what: { provider: string; model?: string; teamId?: string }): Promise<boolean> {
      const conditions = byokRollups(accountId, Number.MIN_SAFE_INTEGER, beforeHour, { teamId: what.teamId, provider: what.provider });
      if (what.model !== undefined) conditions.push(eq(usageRollups.model, what.model));
      const found = db.select({ hour: usageRollups.hour }).from(usageRollups).where(and(...conditions)).limit(1).get();
      return found !== undefined;
    },
  };
}
