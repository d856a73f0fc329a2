// Counters behind rate limits, daily budgets and reservations: one interface, a memory and a Redis driver.
// `reserve` is an atomic check-and-increment, so concurrent requests cannot overspend a cap.

export interface Reservation {
  granted: boolean;
  /** The counter's value after the call (unchanged when not granted). */
  value: number;
  /** Milliseconds until the counter expires (its window resets). */
  ttlMs: number;
}

export interface CountersReachability {
  reachable: boolean;
  /** Why not (the last error), without credentials. */
  reason?: string;
  /** Down since (ISO time). */
  since?: string;
}

export interface Counters {
  /** Adds `amount` (an integer) unless the counter would then exceed `limit`. A new counter expires after `ttlMs`. */
  reserve(key: string, amount: number, limit: number, ttlMs: number): Promise<Reservation>;
  /** Adds unconditionally (negative to give back); a new counter expires after `ttlMs`. */
  add(key: string, amount: number, ttlMs: number): Promise<number>;
  get(key: string): Promise<number>;
  /** Drivers on a server (Redis): whether it answers now, and why not. Absent for the in-process driver. */
  check?(): Promise<CountersReachability>;
  close(): Promise<void>;
}
