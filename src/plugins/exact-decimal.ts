// Exact decimals: whether a number written in decimal has at most so many decimals, and its scaled integer.

/**
 * `value` x 10^places as an integer, when the decimal `value` stands for has at most `places` decimals
 * (12.5 with 2 places: 1250; 12.345: undefined). Exact: the integer divided back must give the same number.
 */
export function scaledExactly(value: number, places: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const factor = 10 ** places;
  const scaled = Math.round(value * factor);
  return Number.isSafeInteger(scaled) && scaled / factor === value ? scaled : undefined;
}

/** Decimals of a whole micro-unit (micro-USD, micro-USD per million tokens). */
export const MICRO_PLACES = 6;
