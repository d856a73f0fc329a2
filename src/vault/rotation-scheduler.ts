// In-process jobs of the vault: cron rotation schedules (persisted, resumed after restarts, a missed run
// made up at start-up) and the retirement of keys whose grace period has ended. With gateways sharing one store,
// each runs only on the gateway holding its job lease (see ../store/job-gate.ts).
import { Cron } from "croner";
import type { RotationSchedule, RotationSchedulesRepo } from "../store/repositories/rotation-schedules.ts";
import type { ProviderKeysRepo } from "../store/repositories/provider-keys.ts";
import { type JobGate, soloJobs } from "../store/job-gate.ts";
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
  /** Shares the jobs with other gateways on the same store (default: this process runs them all). */
  gate?: JobGate;
  /** With a shared gate: how often the schedules' lease holder re-reads the schedules. Default 5 s. */
  syncEveryMs?: number;
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

/** Job names of the vault's scheduled work (one lease each when gateways share a database). */
export const ROTATION_SCHEDULES_JOB = "rotation.schedules";
export const KEY_RETIREMENT_JOB = "rotation.retire";

export function startVaultJobs(deps: SchedulerDeps) {
  const gate = deps.gate ?? soloJobs;
  const armed = new Map<string, { cron: Cron; schedule: RotationSchedule }>();
  /** When this gateway last ran each schedule (the store's lastRunAt may not show it yet). */
  const ranHere = new Map<string, number>();
  const safeRun = (id: string) => {
    const schedule = armed.get(id)?.schedule;
    if (!schedule) return;
    gate
      .run(ROTATION_SCHEDULES_JOB, async () => {
        const at = Date.now();
        ranHere.set(id, at);
        await runSchedule(deps, schedule, at);
      })
      .catch((error) => deps.logger.error("rotation schedule failed", { schedule: id, ...describeError(error) }));
  };

  /** Arms the schedule's cron here; a run missed since its last one (up to `seenAt`) is made up at once. */
  function arm(schedule: RotationSchedule, seenAt = Date.now()): void {
    armed.get(schedule.id)?.cron.stop();
    armed.set(schedule.id, { schedule, cron: new Cron(schedule.cron, { timezone: "UTC", protect: true }, () => safeRun(schedule.id)) });
    const lastRun = Math.max(schedule.lastRunAt ?? schedule.createdAt, ranHere.get(schedule.id) ?? 0);
    const missed = parseCron(schedule.cron).nextRun(new Date(lastRun));
    if (missed && missed.getTime() <= seenAt) safeRun(schedule.id);
  }

  function disarmAll(): void {
    for (const { cron } of armed.values()) cron.stop();
    armed.clear();
  }

  /** Brings the armed crons in line with the store: new or changed schedules armed (missed runs made up). */
  async function sync(): Promise<void> {
    const seenAt = Date.now();
    for (const schedule of await deps.schedules.all()) {
      const current = armed.get(schedule.id);
      if (current && current.schedule.cron === schedule.cron) current.schedule = schedule;
      else arm(schedule, seenAt);
    }
  }

  // Among gateways sharing the store, only the holder of the schedules' lease keeps crons armed; it re-reads the
  // schedules on every tick, so one created or changed on another gateway is followed, and a gateway taking the
  // lease over from a dead holder makes up the run it missed.
  const follow = async () => {
    try {
      if (!(await gate.run(ROTATION_SCHEDULES_JOB, sync))) disarmAll();
    } catch (error) {
      deps.logger.error("rotation schedules not read", describeError(error));
    }
  };
  let following: Promise<void> | undefined;
  const syncTimer = gate.shared
    ? setInterval(() => {
        following ??= follow().finally(() => {
          following = undefined;
        });
      }, deps.syncEveryMs ?? 5_000)
    : undefined;
  syncTimer?.unref?.();

  const retire = setInterval(() => {
    gate.run(KEY_RETIREMENT_JOB, () => retireExpiredKeys(deps)).catch((error) => deps.logger.error("key retirement failed", describeError(error)));
  }, deps.retireEveryMs ?? 30_000);
  retire.unref?.();

  return {
    async resume(): Promise<void> {
      if (gate.shared) await follow();
      else for (const schedule of await deps.schedules.all()) arm(schedule);
    },
    arm(schedule: RotationSchedule): void {
      arm(schedule);
    },
    stop(): void {
      clearInterval(retire);
      if (syncTimer) clearInterval(syncTimer);
      disarmAll();
    },
  };
}

export type VaultJobs = ReturnType<typeof startVaultJobs>;
