// Dashboard sessions on a Postgres database: one row per signed-in browser, found by the digest of its cookie.
import { eq, lte } from "drizzle-orm";
import type { DashboardSession, DashboardSessionsRepo } from "../repositories/dashboard-sessions.ts";
import type { PgDb } from "./database.ts";
import { dashboardSessions } from "./schema.ts";

export function dashboardSessionsRepo(db: PgDb): DashboardSessionsRepo {
  return {
    async insert(session: DashboardSession): Promise<void> {
      await db.insert(dashboardSessions).values(session);
    },
    async get(id: string): Promise<DashboardSession | undefined> {
      const [row] = await db.select().from(dashboardSessions).where(eq(dashboardSessions.id, id)).limit(1);
      return row;
    },
    async remove(id: string): Promise<boolean> {
      return (await db.delete(dashboardSessions).where(eq(dashboardSessions.id, id)).returning({ id: dashboardSessions.id })).length > 0;
    },
    async removeExpired(now: number): Promise<number> {
      return (await db.delete(dashboardSessions).where(lte(dashboardSessions.expiresAt, now)).returning({ id: dashboardSessions.id })).length;
    },
  };
}
