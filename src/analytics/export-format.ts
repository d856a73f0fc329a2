// Cell formatting shared by the export writers: USD with six decimals from integer micro-USD (exact, no float
// arithmetic on the sum), and instants as ISO 8601 in the report's time zone, fast enough for a million rows.
import { TZDate } from "@date-fns/tz";

/** Integer micro-USD as a decimal USD string with exactly six decimals (-1234567 -> "-1.234567"). */
export function usdText(micros: number): string {
  const magnitude = Math.abs(micros);
  const whole = Math.floor(magnitude / 1_000_000);
  const fraction = magnitude - whole * 1_000_000;
  return `${micros < 0 ? "-" : ""}${whole}.${String(fraction).padStart(6, "0")}`;
}

/** Integer micro-USD as a USD number (one division at the end; the JSON export's money values). */
export function usdNumber(micros: number): number {
  return micros / 1_000_000;
}

const MINUTE_MS = 60_000;

/**
 * A formatter of instants as local ISO 8601 with the zone's offset (2026-03-29T01:59:59.999+01:00), the same text
 * as isoInZone (./periods.ts). Offsets change only on whole minutes, so the offset of the last minute seen is kept:
 * rows come in time order, and most share their minute with the one before.
 */
export function zonedIsoFormatter(timeZone: string): (at: number) => string {
  let minute = Number.NaN;
  let offsetMs = 0;
  let suffix = "";
  return (at: number): string => {
    const atMinute = Math.floor(at / MINUTE_MS);
    if (atMinute !== minute) {
      minute = atMinute;
      const offsetMinutes = -new TZDate(at, timeZone).getTimezoneOffset();
      offsetMs = offsetMinutes * MINUTE_MS;
      const magnitude = Math.abs(offsetMinutes);
      suffix = `${offsetMinutes < 0 ? "-" : "+"}${String(Math.floor(magnitude / 60)).padStart(2, "0")}:${String(magnitude % 60).padStart(2, "0")}`;
    }
    return new Date(at + offsetMs).toISOString().slice(0, 23) + suffix;
  };
}
