// In-process jobs of the vault: cron rotation schedules (persisted, resumed after restarts, a missed run
// made up at start-up) and the retirement of keys whose grace period has ended.
import { Cron } from "croner";
import type { RotationSchedule, RotationSchedulesRepo } from "../store/repositories/rotation-schedules.ts";
import type { ProviderKeysRepo } from "../store/repositories/provider-keys.ts";
import type { Logger } from "../telemetry/logger.ts";
import { describeError } from "../telemetry/logger.ts";
import type { AuditLog } from "./audit-log.ts";
import { retireExpiredKeys } from "./rotation.ts";
import type { Webhooks } from "../notify/webhooks.ts";

export interface SchedulerDeps {
  schedules: RotationSchedulesRepo;
  repo: ProviderKeysRepo;
  audit: AuditLog;
  webhooks: Webhooks;
  logger: Logger;
  changed(): void;
  retireEveryMs?: number;
}

/** Throws with croner's reason when the expression is not a valid cron pattern. */
export function parseCron(expression: string): Cron {
  return new Cron(expression, { paused: true, timezone: "UTC" });
}

/** Flags the provider's active keys of the account as due, and tells the webhooks. */
export async function runSchedule(deps: SchedulerDeps, schedule: RotationSchedule, at = Date.now()): Promise<void> {
  const keys = await deps.repo.list(schedule.accountId, schedule.provider, ["active"]);
  for (const key of keys) {
    await deps.audit.record({ accountId: schedule.accountId, actor: "scheduler", action: "key.rotation_due", keyId: key.id, provider: schedule.provider, outcome: "success", detail: { schedule: schedule.cron } });
  }
  await deps.schedules.markRun(schedule.id, at);
  deps.webhooks.send(schedule.webhooks, {
    type: "provider_key.rotation_due",
    provider: schedule.provider,
    key_ids: keys.map((k) => k.id),
    schedule: schedule.cron,
  });
}

export function startVaultJobs(deps: SchedulerDeps) {
  const jobs = new Map<string, Cron>();
  const safeRun = (schedule: RotationSchedule) =>
    runSchedule(deps, schedule).catch((error) => deps.logger.error("rotation schedule failed", { schedule: schedule.id, ...describeError(error) }));

  function arm(schedule: RotationSchedule): void {
    jobs.get(schedule.id)?.stop();
    const missed = parseCron(schedule.cron).nextRun(new Date(schedule.lastRunAt ?? schedule.createdAt));
    if (missed && missed.getTime() <= Date.now()) void safeRun(schedule);
    jobs.set(schedule.id, new Cron(schedule.cron, { timezone: "UTC", protect: true }, () => void safeRun(schedule)));
  }

  const retire = setInterval(() => {
    retireExpiredKeys(deps).catch((error) => deps.logger.error("key retirement failed", describeError(error)));
  }, deps.retireEveryMs ?? 30_000);
  retire.unref?.();

  return {
    async resume(): Promise<void> {
      for (const schedule of await deps.schedules.all()) arm(schedule);
    },
    arm,
    stop(): void {
      clearInterval(retire);
      for (const job of jobs.values()) job.stop();
      jobs.clear();
    },
  };
}

export type VaultJobs = ReturnType<typeof startVaultJobs>;
