// Alerts and their events as the API answers them (snake_case, USD from integer micro-USD, ISO 8601 times).
import type { AlertEventRecord, AlertRecord } from "../store/repositories/alerts.ts";
import { microsToUsd } from "../usage/money.ts";

export function alertView(alert: AlertRecord) {
  return {
    id: alert.id,
    object: "alert",
    type: alert.type,
    account_id: alert.accountId,
    team_id: alert.teamId,
    ...(alert.type === "byok_cost_threshold"
      ? { provider: alert.provider, threshold: alert.thresholdMicros === null ? null : microsToUsd(alert.thresholdMicros), period: alert.period }
      : { sensitivity: alert.sensitivity }),
    notify: alert.notify,
    created_by: alert.createdBy,
    created_at: new Date(alert.createdAt).toISOString(),
  };
}

/** Where a firing's deliveries stand: every target delivered, one still being tried, or one given up on. */
export type DeliveryState = "delivered" | "pending" | "failed" | "none";

export function deliveryState(targets: number, attempts: readonly AlertEventRecord[]): DeliveryState {
  if (targets === 0) return "none";
  const byTarget = new Map<string, AlertEventRecord[]>();
  for (const attempt of attempts) byTarget.set(attempt.target ?? "", [...(byTarget.get(attempt.target ?? "") ?? []), attempt]);
  if (byTarget.size < targets) return "pending";
  const states = [...byTarget.values()].map((tries) =>
    tries.some((t) => t.outcome === "delivered") ? "delivered" : tries.some((t) => t.final === true) ? "failed" : "pending",
  );
  if (states.includes("pending")) return "pending";
  return states.includes("failed") ? "failed" : "delivered";
}

export function eventView(event: AlertEventRecord, delivery?: DeliveryState) {
  const common = {
    id: event.id,
    object: "alert_event",
    kind: event.kind,
    alert_id: event.alertId,
    firing_id: event.firingId,
    account_id: event.accountId,
    team_id: event.teamId,
    created_at: new Date(event.createdAt).toISOString(),
  };
  if (event.kind === "fired") {
    const detail = event.detail ?? {};
    return { ...common, outcome: "fired", alert_type: (detail.alert as { type?: string } | undefined)?.type ?? null, window: detail.window ?? null, figures: detail.figures ?? null, delivery: delivery ?? "none" };
  }
  return {
    ...common,
    channel: event.channel,
    target: event.target,
    attempt: event.attempt,
    outcome: event.outcome,
    status: event.status,
    final: event.final,
    reason: typeof event.detail?.reason === "string" ? event.detail.reason : null,
  };
}
