// Money arithmetic: amounts are integer micro-USD, every intermediate value is an exact integer (bigint), and
// one rounding rule, applied once per amount, turns an exact fraction into micro-USD.

export const MICROS_PER_USD = 1_000_000;
export const BASIS_POINTS = 10_000;

/**
 * The rounding rule for money, the only one: round half up. The exact amount numerator/denominator (both
 * non-negative) becomes the nearest whole micro-USD, and an amount exactly half-way goes up (0.5 -> 1, 2.5 -> 3).
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

/** USD (at most six decimals, as config validation and the catalogue guarantee) as integer micro-USD. */
export function usdToMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}
