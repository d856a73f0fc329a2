// Sends a firing to its alert's targets: webhooks signed as the rotation webhooks are (src/notify/webhooks.ts), e-mail
// over SMTP (src/notify/email.ts), each retried with backoff, every attempt written to the events list.
import type { Mailer } from "../notify/email.ts";
import type { Webhooks } from "../notify/webhooks.ts";
import type { AlertRecord, AlertsRepo, NewAlertEvent } from "../store/repositories/alerts.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { AlertTarget } from "./targets.ts";
import { type AlertPayload, alertEmail } from "./message.ts";

export interface NotifierDeps {
  repo: AlertsRepo;
  webhooks: Webhooks;
  /** Absent when notifications.smtp is not set (alerts naming an e-mail address are refused then). */
  mailer?: Mailer;
  logger: Logger;
}

export function createNotifier(deps: NotifierDeps) {
  const { repo, logger } = deps;
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const task = work.finally(() => pending.delete(task));
    pending.add(task);
  };

  async function record(event: NewAlertEvent): Promise<void> {
    try {
      await repo.recordEvent(event);
    } catch (error) {
      logger.error("alert event not recorded", { alert: event.alertId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    /** Starts the deliveries of a claimed firing in the background; settle() waits for them. */
    deliver(alert: AlertRecord, targets: AlertTarget[], payload: AlertPayload): void {
      const base = { alertId: alert.id, accountId: alert.accountId, teamId: alert.teamId, firingId: payload.firing_id, kind: "delivery" as const };
      const webhooks = targets.filter((t) => t.kind === "webhook").map((t) => t.target);
      const emails = targets.filter((t) => t.kind === "email").map((t) => t.target);
      deps.webhooks.send(webhooks, { ...payload }, (attempt) =>
        record({
          ...base,
          channel: "webhook",
          target: attempt.url,
          attempt: attempt.attempt,
          outcome: attempt.outcome,
          status: attempt.status ?? null,
          final: attempt.final,
          detail: attempt.detail === undefined ? null : { reason: attempt.detail },
          createdAt: attempt.at,
        }),
      );
      if (emails.length === 0) return;
      if (!deps.mailer) {
        // Refused when the alert was made; reached only if SMTP was removed from the config since.
        for (const to of emails) {
          track(record({ ...base, channel: "email", target: to, attempt: 1, outcome: "blocked", final: true, detail: { reason: "notifications.smtp is not set" }, createdAt: Date.now() }));
        }
        return;
      }
      deps.mailer.send(emails, alertEmail(payload), (attempt) =>
        record({
          ...base,
          channel: "email",
          target: attempt.to,
          attempt: attempt.attempt,
          outcome: attempt.outcome,
          final: attempt.final,
          detail: attempt.detail === undefined ? null : { reason: attempt.detail },
          createdAt: attempt.at,
        }),
      );
    },
    /** Waits for deliveries under way and their events. */
    async settle(): Promise<void> {
      await Promise.all([deps.webhooks.settle(), deps.mailer?.settle(), ...pending]);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
