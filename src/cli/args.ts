// Command-line flag parsing shared by every command: unknown flags are user errors (exit 1).
import { parseArgs } from "node:util";

export class UsageError extends Error {}

export type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

export function parseFlags<S extends FlagSpec>(argv: string[], spec: S) {
  try {
    return parseArgs({ args: argv, options: { ...spec, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export const EXIT = { ok: 0, user: 1, internal: 2 } as const;
