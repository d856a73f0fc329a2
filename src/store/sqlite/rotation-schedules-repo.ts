// Persisted rotation schedules (one per account and provider), so they survive restarts.
import { eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { rotationSchedules } from "./schema.ts";
import type { RotationSchedule, RotationSchedulesRepo } from "../repositories/rotation-schedules.ts";

export function rotationSchedulesRepo(db: Db): RotationSchedulesRepo {
  return {
    /** Creates or replaces the schedule of an account for a provider. */
    async upsert(schedule: RotationSchedule): Promise<RotationSchedule> {
      return db
        .insert(rotationSchedules)
        .values(schedule)
        .onConflictDoUpdate({
          target: [rotationSchedules.accountId, rotationSchedules.provider],
          set: { cron: schedule.cron, webhooks: schedule.webhooks, lastRunAt: schedule.lastRunAt, createdAt: schedule.createdAt },
        })
        .returning()
        .get();
    },
    async all(): Promise<RotationSchedule[]> {
      return db.select().from(rotationSchedules).all();
    },
    async markRun(id: string, at: number): Promise<void> {
      db.update(rotationSchedules).set({ lastRunAt: at }).where(eq(rotationSchedules.id, id)).run();
    },
  };
}

