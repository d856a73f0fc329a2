// Which GenAI semantic-convention names keyway emits: the newest release's always, and beside them the v1.36.0
// names they replaced, unless OTEL_SEMCONV_STABILITY_OPT_IN lists `gen_ai_latest_experimental` (the convention's
// switch: "emit the latest experimental version ... and do not emit the old one").
import { PREVIOUS_ATTR } from "./attributes.ts";

export const LATEST_GEN_AI = "gen_ai_latest_experimental";

let emitPrevious = readSwitch(process.env);

function readSwitch(env: Record<string, string | undefined>): boolean {
  const values = (env.OTEL_SEMCONV_STABILITY_OPT_IN ?? "").split(",").map((value) => value.trim());
  return !values.includes(LATEST_GEN_AI);
}

/** Reads the switch again (the runtime's start, with the process's environment; tests with their own). */
export function useSemconvSwitch(env: Record<string, string | undefined>): void {
  emitPrevious = readSwitch(env);
}

/** Whether the v1.36.0 names are emitted beside the newest ones. */
export function emitsPreviousGenAiNames(): boolean {
  return emitPrevious;
}

/** `attributes` with, unless switched off, each renamed attribute also under its previous name. */
export function withPreviousNames<T extends Record<string, unknown>>(attributes: T): T {
  if (!emitPrevious) return attributes;
  const out: Record<string, unknown> = { ...attributes };
  for (const [latest, previous] of Object.entries(PREVIOUS_ATTR)) {
    if (latest in attributes) out[previous] = attributes[latest];
  }
  return out as T;
}
