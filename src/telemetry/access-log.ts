// The access log: one structured line per data-plane request (answered, refused or failed), at info level, through
// the redacting logger. Ids, names, numbers and the error's code and message; never a key, never prompt content.
import type { Logger } from "./logger.ts";

export interface AccessEntry {
  request_id: string;
  endpoint: string;
  status: number;
  latency_ms: number;
  account_id?: string | null;
  team_id?: string | null;
  provider?: string | null;
  model?: string | null;
  key_source?: string | null;
  input_tokens?: number;
  output_tokens?: number;
  /** What the account was charged, integer micro-USD (0 when a BYOK key paid). */
  cost_micros?: number;
  /** The provider's list price of the call, integer micro-USD. */
  estimated_cost_micros?: number;
  attempts?: number;
  /** A free call (a token count): nothing charged, no usage row. */
  unmetered?: boolean;
  /** Error answers: keyway's error code and message (the call's own key already taken out). */
  code?: string;
  message?: string;
  /** Error answers: each failed attempt (provider, model, key source, status, reason). */
  failures?: unknown[];
  trace_id?: string;
}

export const ACCESS_LOG_MESSAGE = "request";

/**
 * Whether a line is written: `telemetry.access_log` is on and the log level keeps info lines. Callers ask first, so
 * that a call whose line is not written builds no entry.
 */
export function accessLogOn(logger: Logger, enabled: boolean): boolean {
  return enabled && logger.enabled("info");
}

/** Writes the line (after `accessLogOn`); fields left undefined are left out. */
export function writeAccessLog(logger: Logger, entry: AccessEntry): void {
  logger.info(ACCESS_LOG_MESSAGE, entry as unknown as Record<string, unknown>);
}
