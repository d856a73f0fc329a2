// Rotation schedules on Postgres (one per account and provider), so they survive restarts.
import type { SQL } from "bun";
import { eq } from "drizzle-orm";
import type { RotationSchedule, RotationSchedulesRepo } from "../repositories/rotation-schedules.ts";
import type { PgDb } from "./database.ts";
import { rotationSchedules } from "./schema.ts";

export function rotationSchedulesRepo(db: PgDb, _sql: SQL): RotationSchedulesRepo {
  return {
    /** Creates or replaces the schedule of an account for a provider (the first id is kept): one upsert. */
    async upsert(schedule: RotationSchedule): Promise<RotationSchedule> {
      const [row] = await db
        .insert(rotationSchedules)
        .values(schedule)
        .onConflictDoUpdate({
          target: [rotationSchedules.accountId, rotationSchedules.provider],
          set: { cron: schedule.cron, webhooks: schedule.webhooks, lastRunAt: schedule.lastRunAt, createdAt: schedule.createdAt },
        })
        .returning();
      return row as RotationSchedule;
    },
    async all(): Promise<RotationSchedule[]> {
      return db.select().from(rotationSchedules);
    },
    async markRun(id: string, at: number): Promise<void> {
      await db.update(rotationSchedules).set({ lastRunAt: at }).where(eq(rotationSchedules.id, id));
    },
  };
}
