// The windows an alert fires once in: a threshold's period (hourly, daily, monthly) on the calendar of
// budgets.time_zone, and the UTC hours the hourly usage rollups are kept in.
import { TZDate } from "@date-fns/tz";
import { isoInZone } from "../analytics/periods.ts";
import type { AlertPeriod } from "../store/repositories/alerts.ts";

export const HOUR_MS = 3_600_000;

/** A half-open interval [from, to) of epoch ms with the key its firing is claimed under. */
export interface AlertWindow {
  key: string;
  from: number;
  to: number;
}

export function epochHour(at: number): number {
  return Math.floor(at / HOUR_MS);
}

/**
 * The rollup hours [fromHour, toHour) covering a window: hours starting inside it. Exact for windows on hour
 * boundaries (every period in a zone whose offset is whole hours); in zones offset by half or quarter hours a day or
 * month starts mid-hour, and that hour is counted with the window it ends in.
 */
export function hoursOf(window: Pick<AlertWindow, "from" | "to">): { fromHour: number; toHour: number } {
  return { fromHour: Math.ceil(window.from / HOUR_MS), toHour: Math.ceil(window.to / HOUR_MS) };
}

/**
 * The period holding `at`: `hourly` is the clock hour (a UTC hour, which is the local hour in every zone whose
 * offset is whole hours), `daily` runs from local midnight to the next, `monthly` from the first of the local month
 * to the first of the next (daylight-saving days are 23 or 25 hours long).
 */
export function periodWindow(period: AlertPeriod, timeZone: string, at: number): AlertWindow {
  let from: number;
  let to: number;
  if (period === "hourly") {
    from = epochHour(at) * HOUR_MS;
    to = from + HOUR_MS;
  } else {
    const local = new TZDate(at, timeZone);
    const [year, month, day] = [local.getFullYear(), local.getMonth(), local.getDate()];
    if (period === "daily") {
      from = new TZDate(year, month, day, 0, 0, 0, 0, timeZone).getTime();
      to = new TZDate(year, month, day + 1, 0, 0, 0, 0, timeZone).getTime();
    } else {
      from = new TZDate(year, month, 1, 0, 0, 0, 0, timeZone).getTime();
      to = new TZDate(year, month + 1, 1, 0, 0, 0, 0, timeZone).getTime();
    }
  }
  return { key: `${period}:${isoInZone(from, timeZone)}`, from, to };
}

/** The period before `window`. */
export function previousWindow(period: AlertPeriod, timeZone: string, window: AlertWindow): AlertWindow {
  return periodWindow(period, timeZone, window.from - 1);
}
