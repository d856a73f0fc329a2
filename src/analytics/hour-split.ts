// How a period is read: the whole UTC hours inside it come from the hourly rollups, and the pieces of hours
// partly inside it (a custom bound with minutes, or midnight in a zone with a :30 or :45 offset) from raw rows.
import { HOUR_MS } from "../store/usage-rollup.ts";

export interface HourSplit {
  /** Whole hours inside the period, as epoch hours [fromHour, toHour); absent when there is none. */
  wholeHours?: { fromHour: number; toHour: number };
  /** The pieces of hours partly inside the period, [from, to) in epoch ms: none, one or two. */
  partial: { from: number; to: number }[];
}

/** Splits [from, to) (epoch ms) into whole UTC hours and the partial hours at its edges. */
export function splitIntoHours(from: number, to: number): HourSplit {
  if (from >= to) return { partial: [] };
  const fromHour = Math.ceil(from / HOUR_MS);
  const toHour = Math.floor(to / HOUR_MS);
  if (fromHour >= toHour) return { partial: [{ from, to }] };
  const partial: { from: number; to: number }[] = [];
  if (from < fromHour * HOUR_MS) partial.push({ from, to: fromHour * HOUR_MS });
  if (toHour * HOUR_MS < to) partial.push({ from: toHour * HOUR_MS, to });
  return { wholeHours: { fromHour, toHour }, partial };
}
