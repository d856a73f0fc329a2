// Time buckets of a period (`bucket=hour|day` on /v1/analytics/byok and /usage): the period cut at the local hour
// or local midnight boundaries of budgets.time_zone, the first and last bucket clipped to the period's bounds.
import { TZDate } from "@date-fns/tz";
import { invalidRequest } from "../core/errors.ts";
import { localMidnight, type Period } from "./periods.ts";

export const BUCKET_UNITS = ["hour", "day"] as const;
export type BucketUnit = (typeof BUCKET_UNITS)[number];

/** The most buckets one answer holds: 33 days of hours (a month and its clock changes fit). */
export const MAX_BUCKETS = 800;
const HOUR_MS = 3_600_000;

/** The unit asked (`bucket`), or undefined when the parameter is absent or empty. */
export function parseBucket(raw: string | null): BucketUnit | undefined {
  if (raw === null || raw === "") return undefined;
  if (!(BUCKET_UNITS as readonly string[]).includes(raw)) {
    throw invalidRequest(`'bucket' must be one of ${BUCKET_UNITS.join(", ")}, not '${raw}'.`, "bucket");
  }
  return raw as BucketUnit;
}

/** The start of the local hour holding `at` (the zone's offset at `at`: a :30 zone's hours start at :30 UTC). */
function localHourStart(at: number, timeZone: string): number {
  const offsetMs = -new TZDate(at, timeZone).getTimezoneOffset() * 60_000;
  const intoHour = (((at + offsetMs) % HOUR_MS) + HOUR_MS) % HOUR_MS;
  return at - intoHour;
}

/** The first bucket boundary after `at`. */
function nextBoundary(at: number, unit: BucketUnit, timeZone: string): number {
  if (unit === "day") return localMidnight(timeZone, at, 1);
  const next = localHourStart(at + HOUR_MS, timeZone);
  return next > at ? next : at + HOUR_MS;
}

/**
 * The buckets of a period, oldest first: [from, to) in epoch ms, every local hour (or day) the period touches,
 * clipped to it. A day is 23 or 25 hours when the clocks change; so is the count of hour buckets of such a day.
 * More than MAX_BUCKETS is a 400 naming `bucket`.
 */
export function bucketsOf(period: Pick<Period, "from" | "to" | "timeZone">, unit: BucketUnit): { from: number; to: number }[] {
  const buckets: { from: number; to: number }[] = [];
  for (let from = period.from; from < period.to; ) {
    if (buckets.length === MAX_BUCKETS) {
      throw invalidRequest(`An answer holds at most ${MAX_BUCKETS} buckets; use bucket=day or a shorter period.`, "bucket");
    }
    const to = Math.min(nextBoundary(from, unit, period.timeZone), period.to);
    buckets.push({ from, to });
    from = to;
  }
  return buckets;
}
