// Usage ledger upkeep, in the background: raw usage rows older than `usage.retention_days` are deleted, and the
// hourly rollups of each UTC day that has ended are summed into daily rollups. Both work in slices of one short
// transaction each, yielding to the event loop between them, so no request waits on them. Rollups are kept.
import { type JobGate, soloJobs } from "../store/job-gate.ts";
import type { UsageRepo } from "../store/repositories/usage.ts";
import type { UsageRollupsRepo } from "../store/repositories/usage-rollups.ts";
import { DAY_HOURS, HOUR_MS } from "../store/usage-rollup.ts";
import { describeError, type Logger } from "../telemetry/logger.ts";

const DAY_MS = 24 * HOUR_MS;

export interface RetentionOptions {
  retentionDays: number;
  /** Between runs; default one hour. The first run starts right away, in the background. */
  intervalMs?: number;
  /** Rows per transaction; default 1,000. */
  sliceSize?: number;
  now?: () => number;
  /** Sums ended days into daily rollups after each pass (days summed per transaction: 7). */
  rollups?: Pick<UsageRollupsRepo, "compactDays">;
  /** Shares the scheduled passes with other gateways on the same store (default: this process runs them). */
  gate?: JobGate;
}

/** The job name of the scheduled passes (one lease when gateways share a database). */
export const RETENTION_JOB = "usage.retention";

/** A day is summed once it ended this long ago on this clock (gateways' clocks may differ by up to an hour). */
const COMPACT_AFTER_MS = HOUR_MS;
const DAYS_PER_SLICE = 7;

export interface UsageRetention {
  /** One pass: deletes every row past retention, slice by slice; resolves with how many. */
  prune(): Promise<number>;
  /** Stops the schedule and waits for a pass under way to end (it stops after its current slice). */
  stop(): Promise<void>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function startUsageRetention(repo: UsageRepo, logger: Logger, options: RetentionOptions): UsageRetention {
  const sliceSize = options.sliceSize ?? 1_000;
  const now = options.now ?? Date.now;
  let stopped = false;
  let running: Promise<number> | undefined;

  const pass = async (): Promise<number> => {
    // Whole hours only: an hour's rows go together, so rebuilt rollups of the hours left stay complete.
    const cutoff = Math.floor((now() - options.retentionDays * DAY_MS) / HOUR_MS) * HOUR_MS;
    let removed = 0;
    while (!stopped) {
      const deleted = await repo.pruneBefore(cutoff, sliceSize);
      removed += deleted;
      if (deleted < sliceSize) break;
      await yieldToEventLoop();
    }
    if (removed > 0) logger.info("usage rows past retention deleted", { rows: removed, retention_days: options.retentionDays });
    if (options.rollups) {
      const beforeDay = Math.floor((now() - COMPACT_AFTER_MS) / HOUR_MS / DAY_HOURS);
      while (!stopped && (await options.rollups.compactDays(beforeDay, DAYS_PER_SLICE)) > 0) await yieldToEventLoop();
    }
    return removed;
  };
  const prune = (): Promise<number> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const runInBackground = () => {
    (options.gate ?? soloJobs).run(RETENTION_JOB, prune).catch((error: unknown) => logger.error("usage retention failed; retrying at the next run", describeError(error)));
  };
  const timer = setInterval(runInBackground, options.intervalMs ?? HOUR_MS);
  timer.unref?.();
  setImmediate(runInBackground);
  return {
    prune,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
