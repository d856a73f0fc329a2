// Scheduled work that must run on one gateway at a time. A `JobGate` runs a job's task only while this gateway
// holds the job's lease in the store (`job_leases`): taken when free or expired, renewed in the background while
// held (so the same gateway keeps the job), given back on a clean stop. A holder that dies stops renewing; its
// lease expires and the next tick of another gateway takes the job over. A lone gateway uses `soloJobs`.
import type { JobLeasesRepo } from "./repositories/job-leases.ts";
import { describeError, type Logger } from "../telemetry/logger.ts";

export interface JobGate {
  /** True when jobs are shared with other gateways through leases; false when this process runs every job. */
  readonly shared: boolean;
  /** Runs `task` when this gateway holds (or now takes) the job's lease; resolves whether it ran. Task errors are thrown. */
  run(job: string, task: () => Promise<unknown>): Promise<boolean>;
  /** Stops renewing and gives back every lease held. */
  stop(): Promise<void>;
}

/** One process alone: every job runs here. */
export const soloJobs: JobGate = {
  shared: false,
  async run(_job, task) {
    await task();
    return true;
  },
  async stop() {},
};

export const JOB_LEASE_TTL_MS = 30_000;

export interface LeasedJobsOptions {
  repo: JobLeasesRepo;
  /** This gateway's instance id (its gateway lease). */
  holder: string;
  logger: Logger;
  /** How long a lease lasts without renewal: how soon a dead holder's jobs are taken over. Default 30 s. */
  ttlMs?: number;
}

export function leasedJobs(options: LeasedJobsOptions): JobGate {
  const { repo, holder, logger } = options;
  const ttlMs = options.ttlMs ?? JOB_LEASE_TTL_MS;
  const held = new Set<string>();
  let stopped = false;

  const lost = (job: string, reason: string) => {
    if (held.delete(job)) logger.warn("job lease lost; another gateway runs the job", { job, instance: holder, reason });
  };

  const renewAll = async () => {
    for (const job of [...held]) {
      try {
        if (!(await repo.renew(job, holder, ttlMs))) lost(job, "taken by another gateway");
      } catch (error) {
        logger.warn("job lease not renewed", { job, instance: holder, ...describeError(error) });
      }
    }
  };
  let renewing: Promise<void> | undefined;
  const timer = setInterval(() => {
    renewing ??= renewAll().finally(() => {
      renewing = undefined;
    });
  }, Math.max(10, Math.floor(ttlMs / 3)));
  timer.unref?.();

  return {
    shared: true,
    async run(job, task) {
      if (stopped) return false;
      let mine: boolean;
      try {
        mine = await repo.acquire(job, holder, ttlMs);
      } catch (error) {
        logger.warn("job lease not taken; the job is skipped this time", { job, instance: holder, ...describeError(error) });
        return false;
      }
      if (!mine) {
        lost(job, "held by another gateway");
        return false;
      }
      if (!held.has(job)) logger.info("job lease taken; this gateway runs the job", { job, instance: holder });
      held.add(job);
      await task();
      return true;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await renewing;
      for (const job of [...held]) {
        held.delete(job);
        await repo.release(job, holder).catch((error: unknown) => logger.warn("job lease not released", { job, instance: holder, ...describeError(error) }));
      }
    },
  };
}
