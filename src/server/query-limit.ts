// The `limit` query parameter of list endpoints (GET /v1/audit, GET /v1/teams/:id/logs): how many rows to answer.
import { invalidRequest } from "../core/errors.ts";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/**
 * `limit` as a whole number from 1 to MAX_LIMIT written in decimal digits (absent: DEFAULT_LIMIT); anything else
 * (empty, a sign, a fraction, an exponent, hex, out of range) is a 400 naming `limit`.
 */
export function limitParam(query: URLSearchParams): number {
  const value = query.get("limit");
  if (value === null) return DEFAULT_LIMIT;
  const limit = /^[0-9]{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw invalidRequest(`'limit' takes a whole number from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`, "limit");
  return limit;
}
