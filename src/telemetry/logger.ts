// The one logger: JSON lines, every field passed through the redactor before it is written.
import { redactFieldsInto, redactSecrets } from "./redact.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Whether lines at this level are written (so a caller can skip building one that would be dropped). */
  enabled(level: LogLevel): boolean;
}

const stdoutSink: LogSink = (line) => process.stdout.write(`${line}\n`);

export function createLogger(level: LogLevel = "info", sink: LogSink = stdoutSink): Logger {
  const threshold = ORDER[level];
  const write = (at: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: at, msg: redactSecrets(msg) };
    sink(JSON.stringify(fields ? redactFieldsInto(entry, fields) : entry));
  };
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    enabled: (level) => ORDER[level] >= threshold,
  };
}

/** Describes an unknown thrown value for a log line (the redactor still runs over it). */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, error_name: error.name, stack: error.stack };
  return { error: String(error) };
}
