// Money arithmetic: amounts are integer micro-USD, every intermediate value is an exact integer (bigint), and
// one rounding rule, applied once per amount, turns an exact fraction into micro-USD. The one place where USD
// and micro-USD are converted.
import { MICRO_PLACES, scaledExactly } from "../plugins/exact-decimal.ts";

export const MICROS_PER_USD = 1_000_000;
export const BASIS_POINTS = 10_000;

/**
 * The rounding rule for money, the only one: round half up. The exact amount numerator/denominator (both
 * non-negative) becomes the nearest whole micro-USD, and an amount exactly half-way goes up (0.5 -> 1, 2.5 -> 3).
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

/**
 * USD as integer micro-USD when it is a whole number of micro-USD (at most six decimals), else undefined.
 * The exactness rule of every USD amount keyway takes (credits, prices; config and plugin checks use the same
 * `scaledExactly` with six places).
 */
export function exactMicros(usd: number): number | undefined {
  return scaledExactly(usd, MICRO_PLACES);
}

/** USD (at most six decimals, as config validation and the catalogue guarantee) as integer micro-USD. */
export function usdToMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}

/** Integer micro-USD as USD, for answers, messages and metrics. */
export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}
