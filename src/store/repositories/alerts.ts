// The alerts contract: alert definitions, the once-per-window firing claims, the events list (firings and delivery
// attempts), and the BYOK figures alerts are evaluated on, read from the hourly usage rollups.

export type AlertType = "byok_cost_threshold" | "byok_usage_anomaly";
export type AlertPeriod = "hourly" | "daily" | "monthly";
export type AlertSensitivity = "low" | "medium" | "high";

/** The key sources whose calls a BYOK key paid: a key sent with the request, or one stored in the vault. */
export const BYOK_KEY_SOURCES: readonly string[] = ["request", "stored"];

export interface AlertRecord {
  id: string;
  accountId: string;
  /** Only this team's traffic is watched. */
  teamId: string | null;
  type: AlertType;
  provider: string | null;
  /** byok_cost_threshold: BYOK cost in micro-USD at which it fires. */
  thresholdMicros: number | null;
  period: AlertPeriod | null;
  sensitivity: AlertSensitivity | null;
  /** E-mail addresses and webhook URLs. */
  notify: string[];
  /** byok_usage_anomaly: provider/model pairs in use (in the hour it was made and the one before), never reported as new. */
  knownPairs: { provider: string; model: string }[];
  /** The keyway key that created it. */
  createdBy: string;
  createdAt: number;
}

/** An alert's firing for one window: `windowKey` names the window (a period's start, an hour, a new provider). */
export interface AlertFiring {
  id: string;
  alertId: string;
  windowKey: string;
  firedAt: number;
}

export type AlertEventKind = "fired" | "delivery";
export type AlertChannel = "webhook" | "email";
export type AlertOutcome = "fired" | "delivered" | "failed" | "blocked";

export interface AlertEventRecord {
  id: number;
  alertId: string;
  accountId: string;
  teamId: string | null;
  firingId: string;
  kind: AlertEventKind;
  channel: AlertChannel | null;
  target: string | null;
  attempt: number | null;
  outcome: AlertOutcome;
  status: number | null;
  final: boolean | null;
  detail: Record<string, unknown> | null;
  createdAt: number;
}

/** An event to write; the id is assigned by the store, optional fields may be left out. */
export type NewAlertEvent = Pick<AlertEventRecord, "alertId" | "accountId" | "firingId" | "kind" | "outcome" | "createdAt"> &
  Partial<Pick<AlertEventRecord, "teamId" | "channel" | "target" | "attempt" | "status" | "final" | "detail">>;

/** Which alerts or events: one account's, one team's of it, or (nothing set) all. */
export interface AlertScope {
  accountId?: string;
  teamId?: string;
}

export interface AlertEventQuery extends AlertScope {
  alertId?: string;
  firingId?: string;
  kind?: AlertEventKind;
  /** Only events with an id below this one (paging back). */
  beforeId?: number;
  limit: number;
}

/** BYOK calls of an account in an hour (a UTC epoch hour). */
export interface HourFigures {
  hour: number;
  requests: number;
  /** BYOK cost at list price, micro-USD. */
  costMicros: number;
}

export interface FigureFilter {
  teamId?: string;
  provider?: string;
}

export interface AlertsRepo {
  /** Stores every alert or none (one transaction). */
  createMany(alerts: AlertRecord[]): Promise<void>;
  /** Alerts in the scope, oldest first. */
  list(scope: AlertScope): Promise<AlertRecord[]>;
  get(id: string): Promise<AlertRecord | undefined>;
  /** Deletes the alert and its firing claims (its events are kept); false when there was none. */
  remove(id: string): Promise<boolean>;
  /**
   * Claims the firing's window and writes its `fired` event, in one transaction: true when this caller claimed it,
   * false when the (alertId, windowKey) pair was already claimed (by this process or another) or the alert is gone.
   */
  claimFiring(firing: AlertFiring, event: NewAlertEvent): Promise<boolean>;
  recordEvent(event: NewAlertEvent): Promise<void>;
  /** Events in the scope, newest first. */
  events(query: AlertEventQuery): Promise<AlertEventRecord[]>;
  /** An account's BYOK cost at list price (micro-USD) over hours [fromHour, toHour). */
  byokCost(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter): Promise<number>;
  /** An account's BYOK requests and cost per hour over [fromHour, toHour), hours without calls left out, oldest first. */
  byokHourly(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter): Promise<HourFigures[]>;
  /** Provider and model pairs of an account's BYOK calls over [fromHour, toHour), each with the first hour seen there. */
  byokPairs(accountId: string, fromHour: number, toHour: number, filter?: FigureFilter): Promise<{ provider: string; model: string; firstHour: number }[]>;
  /** Whether the account made a BYOK call to the provider (and model, when given) in an hour before `beforeHour`. */
  byokUsedBefore(accountId: string, beforeHour: number, what: { provider: string; model?: string; teamId?: string }): Promise<boolean>;
}
