// Alerts as a service: definitions created (checked against this gateway: teams, providers, SMTP, webhook targets),
// listed and removed; evaluated in the background on an interval, never on the request path; each finding claimed
// once per window in the store before its firing is counted and its targets notified. Stop waits for deliveries.
import { GatewayError, invalidRequest } from "../core/errors.ts";
import type { Mailer } from "../notify/email.ts";
import type { Webhooks } from "../notify/webhooks.ts";
import { newId } from "../store/ids.ts";
import type { AlertEventQuery, AlertEventRecord, AlertRecord, AlertScope } from "../store/repositories/alerts.ts";
import { type JobGate, soloJobs } from "../store/job-gate.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { AlertDraft } from "./definitions.ts";
import { createEvaluator, type Finding } from "./evaluator.ts";
import { alertPayload } from "./message.ts";
import { createNotifier } from "./notifier.ts";
import { targetsOf } from "./targets.ts";
import { epochHour } from "./windows.ts";

export interface AlertsSettings {
  /** budgets.time_zone. */
  timeZone: string;
  /** Configured provider names (a threshold's `provider` must be one). */
  providers: readonly string[];
  /** alerts.evaluate_interval_ms. */
  intervalMs: number;
}

export interface AlertsDeps {
  store: Pick<Store, "alerts" | "teams" | "accounts">;
  settings: AlertsSettings;
  webhooks: Webhooks;
  /** Present when notifications.smtp is set. */
  mailer?: Mailer;
  logger: Logger;
  /** keyway_alerts_fired_total, when Prometheus is on. */
  metrics?: { alertFired(type: string): void };
  /** The evaluator's clock (tests move it). */
  now?: () => number;
  /** Shares the interval's evaluation with other gateways on the same store (default: this process evaluates). */
  gate?: JobGate;
}

/** The job name of the interval's evaluation (one lease when gateways share a database). */
export const ALERTS_JOB = "alerts.evaluate";

/** Who creates alerts: their key, and the team they are confined to (a team admin's alerts watch only its team). */
export interface Creator {
  keyId: string;
  teamId: string | null;
}

export function createAlertsService(deps: AlertsDeps) {
  const { store, settings, logger } = deps;
  const repo = store.alerts;
  const now = deps.now ?? Date.now;
  const evaluator = createEvaluator({ repo, timeZone: settings.timeZone });
  const notifier = createNotifier({ repo, webhooks: deps.webhooks, mailer: deps.mailer, logger });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  /** Team, provider and targets checked against this gateway, in the order given (the first problem is the 400). */
  async function admit(accountId: string, creator: Creator, draft: AlertDraft, param: string): Promise<AlertDraft> {
    let teamId = draft.teamId;
    if (creator.teamId !== null) {
      if (teamId !== null && teamId !== creator.teamId) throw invalidRequest(`Unknown team '${teamId}'.`, `${param}.team_id`);
      teamId = creator.teamId;
    } else if (teamId !== null) {
      const team = await store.teams.get(teamId);
      if (!team || team.accountId !== accountId) throw invalidRequest(`Unknown team '${teamId}'.`, `${param}.team_id`);
    }
    if (draft.provider !== null && !settings.providers.includes(draft.provider)) {
      throw invalidRequest(`Unknown provider '${draft.provider}' (configured: ${settings.providers.join(", ")}).`, `${param}.provider`);
    }
    for (const [index, { kind, target }] of draft.notify.entries()) {
      const where = `${param}.notify[${index}]`;
      if (kind === "email" && !deps.mailer) {
        throw invalidRequest(`'${target}' is an e-mail address, but notifications.smtp is not set on this gateway: e-mail alerts cannot be sent.`, where);
      }
      if (kind === "webhook") await deps.webhooks.acceptOne(target, where);
    }
    return { ...draft, teamId };
  }

  /** Claims the finding's window; only the claimer counts the firing and notifies. True when this call fired. */
  async function fire(alert: AlertRecord, finding: Finding, at: number): Promise<boolean> {
    const firingId = newId("fire");
    const payload = alertPayload(alert, firingId, finding, settings.timeZone, at);
    const claimed = await repo.claimFiring(
      { id: firingId, alertId: alert.id, windowKey: finding.window.key, firedAt: at },
      {
        alertId: alert.id,
        accountId: alert.accountId,
        teamId: alert.teamId,
        firingId,
        kind: "fired",
        outcome: "fired",
        detail: { ...payload, targets: alert.notify.length },
        createdAt: at,
      },
    );
    if (!claimed) return false;
    deps.metrics?.alertFired(alert.type);
    logger.info("alert fired", { alert: alert.id, type: alert.type, account: alert.accountId, window: finding.window.key });
    notifier.deliver(alert, targetsOf(alert.notify), payload);
    return true;
  }

  /** One pass over every alert; returns how many fired. An alert whose evaluation fails is logged and skipped. */
  async function evaluateAll(): Promise<number> {
    const at = now();
    let fired = 0;
    for (const alert of await repo.list({})) {
      try {
        for (const finding of await evaluator.evaluate(alert, at)) {
          if (await fire(alert, finding, at)) fired++;
        }
      } catch (error) {
        logger.error("alert not evaluated", { alert: alert.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return fired;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = (deps.gate ?? soloJobs)
        .run(ALERTS_JOB, evaluateAll)
        .catch((error: unknown) => logger.error("alert evaluation failed", { error: error instanceof Error ? error.message : String(error) }))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, settings.intervalMs);
  }

  return {
    /** Checks every draft against the gateway, then stores all of them or none. */
    async create(accountId: string, creator: Creator, drafts: AlertDraft[]): Promise<AlertRecord[]> {
      if (!(await store.accounts.get(accountId))) throw new GatewayError("not_found", `No account '${accountId}'.`, { param: "account_id" });
      const admitted: AlertDraft[] = [];
      for (const [index, draft] of drafts.entries()) admitted.push(await admit(accountId, creator, draft, `alerts[${index}]`));
      const createdAt = now();
      const knownPairs = async (draft: AlertDraft) => {
        if (draft.type !== "byok_usage_anomaly") return [];
        const hour = epochHour(createdAt);
        const used = await repo.byokPairs(accountId, hour - 1, hour + 1, { teamId: draft.teamId ?? undefined });
        return used.filter((pair) => pair.provider !== "").map(({ provider, model }) => ({ provider, model }));
      };
      const known = await Promise.all(admitted.map(knownPairs));
      const records: AlertRecord[] = admitted.map((draft, index) => ({
        id: newId("alert"),
        accountId,
        teamId: draft.teamId,
        type: draft.type,
        provider: draft.provider,
        thresholdMicros: draft.thresholdMicros,
        period: draft.period,
        sensitivity: draft.sensitivity,
        notify: draft.notify.map((entry) => entry.target),
        knownPairs: known[index] ?? [],
        createdBy: creator.keyId,
        createdAt,
      }));
      await repo.createMany(records);
      return records;
    },
    list: (scope: AlertScope) => repo.list(scope),
    get: (id: string) => repo.get(id),
    async remove(id: string): Promise<boolean> {
      evaluator.forget(id);
      return repo.remove(id);
    },
    events: (query: AlertEventQuery): Promise<AlertEventRecord[]> => repo.events(query),
    /** Delivery attempts of one firing (to tell whether it was delivered). */
    deliveries: (firingId: string) => repo.events({ firingId, kind: "delivery", limit: 1000 }),
    /** One evaluation pass now (tests, and the interval). */
    evaluateNow: evaluateAll,
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    /** Stops the interval, lets a pass under way finish, and waits for its deliveries (retries included). */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
      await notifier.settle();
      deps.mailer?.close();
    },
    /** Waits for deliveries under way (tests). */
    settle: () => notifier.settle(),
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
