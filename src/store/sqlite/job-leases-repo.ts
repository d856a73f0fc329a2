// Job leases on this database: one row per scheduled job, taken by one atomic upsert when free or expired.
import { and, eq, or, sql } from "drizzle-orm";
import type { JobLease, JobLeasesRepo } from "../repositories/job-leases.ts";
import type { Db } from "./database.ts";
import { jobLeases } from "./schema.ts";

export function jobLeasesRepo(db: Db): JobLeasesRepo {
  return {
    async acquire(job: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
      const taken = db
        .insert(jobLeases)
        .values({ job, holder, acquiredAt: now, expiresAt: now + ttlMs })
        .onConflictDoUpdate({
          target: jobLeases.job,
          set: {
            holder,
            acquiredAt: sql`CASE WHEN ${jobLeases.holder} = excluded.holder THEN ${jobLeases.acquiredAt} ELSE excluded.acquired_at END`,
            expiresAt: now + ttlMs,
          },
          setWhere: or(eq(jobLeases.holder, holder), sql`${jobLeases.expiresAt} <= ${now}`),
        })
        .returning({ job: jobLeases.job })
        .all();
      return taken.length === 1;
    },
    async renew(job: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
      const renewed = db
        .update(jobLeases)
        .set({ expiresAt: now + ttlMs })
        .where(and(eq(jobLeases.job, job), eq(jobLeases.holder, holder)))
        .returning({ job: jobLeases.job })
        .all();
      return renewed.length === 1;
    },
    async release(job: string, holder: string): Promise<void> {
      db.delete(jobLeases)
        .where(and(eq(jobLeases.job, job), eq(jobLeases.holder, holder)))
        .run();
    },
    async get(job: string): Promise<JobLease | undefined> {
      return db.select().from(jobLeases).where(eq(jobLeases.job, job)).get();
    },
  };
}
