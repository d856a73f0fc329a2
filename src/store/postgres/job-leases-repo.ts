// Job leases on a Postgres database: one row per scheduled job, taken by one atomic upsert when free or expired
// (INSERT ... ON CONFLICT DO UPDATE ... WHERE locks the row, so of replicas racing for it exactly one wins).
import type { SQL } from "bun";
import { and, eq, or, sql } from "drizzle-orm";
import type { JobLease, JobLeasesRepo } from "../repositories/job-leases.ts";
import type { PgDb } from "./database.ts";
import { jobLeases } from "./schema.ts";

export function jobLeasesRepo(db: PgDb, _sql: SQL): JobLeasesRepo {
  return {
    async acquire(job: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
      const taken = await db
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
        .returning({ job: jobLeases.job });
      return taken.length === 1;
    },
    async renew(job: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
      const renewed = await db
        .update(jobLeases)
        .set({ expiresAt: now + ttlMs })
        .where(and(eq(jobLeases.job, job), eq(jobLeases.holder, holder)))
        .returning({ job: jobLeases.job });
      return renewed.length === 1;
    },
    async release(job: string, holder: string): Promise<void> {
      await db.delete(jobLeases).where(and(eq(jobLeases.job, job), eq(jobLeases.holder, holder)));
    },
    async get(job: string): Promise<JobLease | undefined> {
      const [row] = await db.select().from(jobLeases).where(eq(jobLeases.job, job)).limit(1);
      return row;
    },
  };
}
