// Reporting periods: a named period (or a custom range) turned into a half-open interval [from, to) of epoch ms,
// computed on the calendar of a time zone (budgets.time_zone), daylight-saving changes included.
import { TZDate } from "@date-fns/tz";
import { invalidRequest } from "../core/errors.ts";

export const PERIOD_NAMES = ["current_month", "last_7_days", "last_30_days", "last_quarter", "today", "custom"] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

/** The longest range a custom period may span, in days. */
export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

export interface Period {
  name: PeriodName;
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
  timeZone: string;
}

export interface PeriodQuery {
  period?: string | null;
  from?: string | null;
  to?: string | null;
}

/** Midnight starting the local calendar day `days` after (or before) the day holding `at`. */
export function localMidnight(timeZone: string, at: number, days = 0): number {
  const local = new TZDate(at, timeZone);
  return new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + days, 0, 0, 0, 0, timeZone).getTime();
}

/** Midnight starting the first day of the local month `months` after (or before) the month holding `at`. */
function localMonthStart(timeZone: string, at: number, months = 0): number {
  const local = new TZDate(at, timeZone);
  return new TZDate(local.getFullYear(), local.getMonth() + months, 1, 0, 0, 0, 0, timeZone).getTime();
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A bound of a custom range: a date (YYYY-MM-DD, the local midnight starting that day; for `to`, the midnight
 * ending it, so the day is included) or an ISO 8601 date-time with an offset or Z.
 */
function parseBound(value: string, timeZone: string, param: "from" | "to"): number {
  const date = DATE_ONLY.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
    const start = new TZDate(year, month, day, 0, 0, 0, 0, timeZone);
    if (start.getMonth() !== month || start.getDate() !== day) throw invalidRequest(`'${param}' is not a calendar date: '${value}'.`, param);
    return param === "to" ? localMidnight(timeZone, start.getTime(), 1) : start.getTime();
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw invalidRequest(`'${param}' must be a date (YYYY-MM-DD) or an ISO 8601 date-time with an offset or Z, not '${value}'.`, param);
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw invalidRequest(`'${param}' is not a valid date-time: '${value}'.`, param);
  return at;
}

/**
 * The interval of a period, on the calendar of `timeZone`:
 * - `today`: from the local midnight starting today to the one ending it;
 * - `last_7_days` / `last_30_days`: the 7 (30) local calendar days ending with today (today included);
 * - `current_month`: the local calendar month holding now;
 * - `last_quarter`: the calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) before the one holding now;
 * - `custom`: `from` and `to` (both required; at most MAX_RANGE_DAYS days apart).
 * Without `period`, a range given by `from`/`to` is custom and no range at all is `current_month`.
 * Bad input throws a 400 naming the parameter.
 */
export function resolvePeriod(query: PeriodQuery, timeZone: string, now = Date.now()): Period {
  const hasRange = Boolean(query.from) || Boolean(query.to);
  const raw = query.period ?? (hasRange ? "custom" : "current_month");
  if (!(PERIOD_NAMES as readonly string[]).includes(raw)) {
    throw invalidRequest(`'period' must be one of ${PERIOD_NAMES.join(", ")}, not '${raw}'.`, "period");
  }
  const name = raw as PeriodName;
  if (name !== "custom") {
    if (hasRange) throw invalidRequest(`'from' and 'to' go with period=custom, not period=${name}.`, query.from ? "from" : "to");
    return { name, timeZone, ...namedInterval(name, timeZone, now) };
  }
  if (!query.from) throw invalidRequest("A custom period needs 'from'.", "from");
  if (!query.to) throw invalidRequest("A custom period needs 'to'.", "to");
  const from = parseBound(query.from, timeZone, "from");
  const to = parseBound(query.to, timeZone, "to");
  if (from >= to) throw invalidRequest(`'from' (${query.from}) must be before 'to' (${query.to}).`, "from");
  if (to - from > MAX_RANGE_DAYS * DAY_MS + 2 * 3_600_000) {
    throw invalidRequest(`A custom period spans at most ${MAX_RANGE_DAYS} days.`, "to");
  }
  return { name, from, to, timeZone };
}

function namedInterval(name: Exclude<PeriodName, "custom">, timeZone: string, now: number): { from: number; to: number } {
  switch (name) {
    case "today":
      return { from: localMidnight(timeZone, now), to: localMidnight(timeZone, now, 1) };
    case "last_7_days":
      return { from: localMidnight(timeZone, now, -6), to: localMidnight(timeZone, now, 1) };
    case "last_30_days":
      return { from: localMidnight(timeZone, now, -29), to: localMidnight(timeZone, now, 1) };
    case "current_month":
      return { from: localMonthStart(timeZone, now), to: localMonthStart(timeZone, now, 1) };
    case "last_quarter": {
      const month = new TZDate(now, timeZone).getMonth();
      const back = (month % 3) + 3;
      return { from: localMonthStart(timeZone, now, -back), to: localMonthStart(timeZone, now, -back + 3) };
    }
  }
}

/** The period as answers show it: ISO 8601 instants with the zone's offset, and the zone. */
export function describePeriod(period: Period): { from: string; to: string; time_zone: string } {
  return { from: isoInZone(period.from, period.timeZone), to: isoInZone(period.to, period.timeZone), time_zone: period.timeZone };
}

/** An instant as local ISO 8601 with the zone's offset (2026-03-29T00:00:00.000+01:00). */
export function isoInZone(at: number, timeZone: string): string {
  return new TZDate(at, timeZone).toISOString();
}
