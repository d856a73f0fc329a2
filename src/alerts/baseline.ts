// The robust baseline of byok_usage_anomaly: the median and MAD of an account's last 7 days of hours (zeros
// included), and how far above it an hour must go to be an anomaly at each sensitivity.
import type { AlertSensitivity } from "../store/repositories/alerts.ts";

/** Hours the baseline is taken over: the 7 days (168 hours) before the hour judged. */
export const BASELINE_HOURS = 168;

/** MAD x 1.4826 estimates the standard deviation of normally distributed figures. */
export const MAD_TO_SIGMA = 1.4826;

export interface SensitivityRule {
  /** How many (MAD-estimated) standard deviations above the median. */
  k: number;
  /** The hour must also exceed this multiple of the median... */
  ratio: number;
  /** ...and the median by at least this many requests... */
  minRequests: number;
  /** ...or by this much cost, micro-USD (the floor that keeps a quiet account from firing on noise). */
  minCostMicros: number;
}

/** Higher sensitivity: fewer deviations, a smaller multiple, a lower floor. */
export const SENSITIVITY_RULES: Readonly<Record<AlertSensitivity, SensitivityRule>> = {
  low: { k: 6, ratio: 3, minRequests: 50, minCostMicros: 5_000_000 },
  medium: { k: 4, ratio: 2, minRequests: 20, minCostMicros: 1_000_000 },
  high: { k: 3, ratio: 1.5, minRequests: 10, minCostMicros: 250_000 },
};

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((value) => Math.abs(value - center)));
}

export interface Baseline {
  median: number;
  mad: number;
  /** The figure an hour must exceed to be an anomaly. */
  limit: number;
}

/** limit = max(median + k x 1.4826 x MAD, ratio x median, median + floor). */
export function baselineOf(values: readonly number[], rule: SensitivityRule, floor: number): Baseline {
  const center = median(values);
  const spread = mad(values, center);
  const limit = Math.max(center + rule.k * MAD_TO_SIGMA * spread, rule.ratio * center, center + floor);
  return { median: center, mad: spread, limit };
}

/** The figures of `hours` consecutive hours from `fromHour`, hours absent from `found` counted as 0. */
export function withZeros<T extends { hour: number }>(found: readonly T[], fromHour: number, hours: number, pick: (row: T) => number): number[] {
  const values = new Array<number>(hours).fill(0);
  for (const row of found) {
    const index = row.hour - fromHour;
    if (index >= 0 && index < hours) values[index] = pick(row);
  }
  return values;
}
