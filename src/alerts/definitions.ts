// Alert definitions as POST /v1/alerts takes them, checked field by field: anything wrong is a 400 naming the
// parameter (alerts[1].threshold, alerts[0].notify[2]), found before anything is stored.
import { invalidRequest } from "../core/errors.ts";
import { isEmailAddress } from "../notify/email-address.ts";
import type { AlertPeriod, AlertSensitivity, AlertType } from "../store/repositories/alerts.ts";
import { exactMicros } from "../usage/money.ts";

export const ALERT_TYPES: readonly AlertType[] = ["byok_cost_threshold", "byok_usage_anomaly"];
export const ALERT_PERIODS: readonly AlertPeriod[] = ["hourly", "daily", "monthly"];
export const SENSITIVITIES: readonly AlertSensitivity[] = ["low", "medium", "high"];

/** At most this many alerts in one request, and notify targets per alert. */
export const MAX_ALERTS_PER_REQUEST = 50;
export const MAX_NOTIFY = 20;
/** The largest threshold taken, USD. */
export const MAX_THRESHOLD_USD = 1_000_000_000;

const FIELDS: Record<AlertType, readonly string[]> = {
  byok_cost_threshold: ["type", "provider", "team_id", "threshold", "period", "notify"],
  byok_usage_anomaly: ["type", "team_id", "sensitivity", "notify"],
};

/** An alert as asked for, checked for shape; team, provider and notify targets are checked against the gateway next. */
export interface AlertDraft {
  type: AlertType;
  provider: string | null;
  teamId: string | null;
  thresholdMicros: number | null;
  period: AlertPeriod | null;
  sensitivity: AlertSensitivity | null;
  /** Targets in the order given, each with what it is. */
  notify: { kind: "email" | "webhook"; target: string }[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function oneOf<T extends string>(value: unknown, allowed: readonly T[], param: string, fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(`'${param}' must be one of ${allowed.join(", ")}${value === undefined ? "" : `, not ${JSON.stringify(value)}`}.`, param);
  }
  return value as T;
}

function optionalName(value: unknown, param: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length === 0 || value.length > 200) throw invalidRequest(`'${param}' must be a non-empty string.`, param);
  return value;
}

function thresholdMicros(value: unknown, param: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_THRESHOLD_USD) {
    throw invalidRequest(`'${param}' must be a positive amount in USD (at most ${MAX_THRESHOLD_USD}).`, param);
  }
  const micros = exactMicros(value);
  if (micros === undefined) throw invalidRequest(`'${param}' takes at most six decimals (whole micro-USD).`, param);
  return micros;
}

/**
 * A notify entry: an e-mail address, or a URL (https; http too where `allowHttp`). Any other string, a malformed
 * address or URL, is a 400 naming the entry.
 */
export function notifyTarget(value: unknown, param: string, allowHttp: boolean): AlertDraft["notify"][number] {
  if (typeof value !== "string" || value.length === 0) throw invalidRequest(`'${param}' must be an e-mail address or an https URL.`, param);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    const schemes = allowHttp ? ["https:", "http:"] : ["https:"];
    if (!url || !schemes.includes(url.protocol) || url.hostname === "") {
      throw invalidRequest(`'${value}' is not ${allowHttp ? "an http(s)" : "an https"} URL.`, param);
    }
    if (url.username !== "" || url.password !== "") throw invalidRequest(`'${param}': a webhook URL may not carry credentials.`, param);
    return { kind: "webhook", target: url.toString() };
  }
  if (!isEmailAddress(value)) throw invalidRequest(`'${value}' is not an e-mail address (name@example.com) or an https URL.`, param);
  return { kind: "email", target: value };
}

/** The shape of one alert (fields, types, ranges); `param` is its place, like alerts[0]. */
export function parseAlert(value: unknown, param: string, allowHttp: boolean): AlertDraft {
  if (!isObject(value)) throw invalidRequest(`'${param}' must be an object.`, param);
  const type = oneOf(value.type, ALERT_TYPES, `${param}.type`);
  for (const field of Object.keys(value)) {
    if (!FIELDS[type].includes(field)) {
      throw invalidRequest(`'${field}' is not a field of a ${type} alert (fields: ${FIELDS[type].join(", ")}).`, `${param}.${field}`);
    }
  }
  const notifyParam = `${param}.notify`;
  const raw = value.notify ?? [];
  if (!Array.isArray(raw) || raw.length > MAX_NOTIFY) {
    throw invalidRequest(`'${notifyParam}' must be a list of at most ${MAX_NOTIFY} e-mail addresses and https URLs.`, notifyParam);
  }
  const notify = raw.map((entry, index) => notifyTarget(entry, `${notifyParam}[${index}]`, allowHttp));
  const seen = new Set<string>();
  for (const [index, entry] of notify.entries()) {
    if (seen.has(entry.target)) throw invalidRequest(`'${entry.target}' is listed twice.`, `${notifyParam}[${index}]`);
    seen.add(entry.target);
  }
  const teamId = optionalName(value.team_id, `${param}.team_id`);
  if (type === "byok_cost_threshold") {
    if (value.threshold === undefined) throw invalidRequest(`A byok_cost_threshold alert needs 'threshold' (USD).`, `${param}.threshold`);
    return {
      type,
      provider: optionalName(value.provider, `${param}.provider`),
      teamId,
      thresholdMicros: thresholdMicros(value.threshold, `${param}.threshold`),
      period: oneOf(value.period, ALERT_PERIODS, `${param}.period`),
      sensitivity: null,
      notify,
    };
  }
  return { type, provider: null, teamId, thresholdMicros: null, period: null, sensitivity: oneOf(value.sensitivity, SENSITIVITIES, `${param}.sensitivity`, "medium"), notify };
}

/** The body of POST /v1/alerts: `{alerts: [...]}` (and, for the operator, `account_id`). */
export function parseAlertsBody(body: unknown, allowHttp: boolean): { drafts: AlertDraft[]; accountId: unknown } {
  if (!isObject(body)) throw invalidRequest("The body must be a JSON object with 'alerts'.", "alerts");
  for (const field of Object.keys(body)) {
    if (field !== "alerts" && field !== "account_id") throw invalidRequest(`'${field}' is not a field of this request (alerts, account_id).`, field);
  }
  const list = body.alerts;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ALERTS_PER_REQUEST) {
    throw invalidRequest(`'alerts' must be a list of 1 to ${MAX_ALERTS_PER_REQUEST} alerts.`, "alerts");
  }
  return { drafts: list.map((entry, index) => parseAlert(entry, `alerts[${index}]`, allowHttp)), accountId: body.account_id };
}
