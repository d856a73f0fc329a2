// Dashboard sessions on this database: one row per signed-in browser, found by the digest of its cookie.
import { eq, lte } from "drizzle-orm";
import type { DashboardSession, DashboardSessionsRepo } from "../repositories/dashboard-sessions.ts";
import type { Db } from "./database.ts";
import { dashboardSessions } from "./schema.ts";

export function dashboardSessionsRepo(db: Db): DashboardSessionsRepo {
  return {
    async insert(session: DashboardSession): Promise<void> {
      db.insert(dashboardSessions).values(session).run();
    },
    async get(id: string): Promise<DashboardSession | undefined> {
      return db.select().from(dashboardSessions).where(eq(dashboardSessions.id, id)).get();
    },
    async remove(id: string): Promise<boolean> {
      return db.delete(dashboardSessions).where(eq(dashboardSessions.id, id)).returning({ id: dashboardSessions.id }).all().length > 0;
    },
    async removeExpired(now: number): Promise<number> {
      return db.delete(dashboardSessions).where(lte(dashboardSessions.expiresAt, now)).returning({ id: dashboardSessions.id }).all().length;
    },
  };
}
