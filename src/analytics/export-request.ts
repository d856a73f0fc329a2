// A billing export request: the body of POST /v1/billing/export (or the CLI's flags) checked and resolved into what
// to export (type, period on the budgets time zone, format, extra sections), each bad field a 400 naming it.
import { invalidRequest } from "../core/errors.ts";
import { type Period, resolvePeriod } from "./periods.ts";

export const EXPORT_TYPES = ["byok_usage", "platform_usage", "all_usage"] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_SECTIONS = ["provider_breakdown", "model_breakdown", "team_breakdown", "hourly_usage"] as const;
export type ExportSection = (typeof EXPORT_SECTIONS)[number];

/** The key sources each type covers; undefined: every row, whatever its key source (or none). */
export const KEY_SOURCES_OF: Readonly<Record<ExportType, readonly string[] | undefined>> = {
  byok_usage: ["request", "stored"],
  platform_usage: ["platform"],
  all_usage: undefined,
};

export interface ExportRequest {
  type: ExportType;
  period: Period;
  format: ExportFormat;
  /** The extra sections asked, in the order of EXPORT_SECTIONS. */
  include: ExportSection[];
  /** The account named in the request (`account_id`), when one was; who may name which is the caller's business. */
  accountId?: string;
}

const FIELDS = ["type", "period", "from", "to", "format", "include", "account_id"] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(`'${field}' must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}.`, field);
  }
  return value as T;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidRequest(`'${field}' must be a string.`, field);
  return value;
}

function sections(value: unknown): ExportSection[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidRequest(`'include' must be an array of ${EXPORT_SECTIONS.join(", ")}.`, "include");
  const asked = new Set(value.map((item) => oneOf(item, EXPORT_SECTIONS, "include")));
  return EXPORT_SECTIONS.filter((section) => asked.has(section));
}

/** Checks an export body (a JSON object) and resolves its period on `timeZone` at `now`. */
export function parseExportRequest(body: unknown, timeZone: string, now = Date.now()): ExportRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidRequest("The request body must be a JSON object.");
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) throw invalidRequest(`Unknown field '${unknown}'; an export takes ${FIELDS.join(", ")}.`, unknown);
  if (fields.type === undefined) throw invalidRequest(`'type' is required: one of ${EXPORT_TYPES.join(", ")}.`, "type");
  const type = oneOf(fields.type, EXPORT_TYPES, "type");
  const format = fields.format === undefined ? "csv" : oneOf(fields.format, EXPORT_FORMATS, "format");
  const period = resolvePeriod(
    { period: optionalString(fields.period, "period"), from: optionalString(fields.from, "from"), to: optionalString(fields.to, "to") },
    timeZone,
    now,
  );
  const accountId = optionalString(fields.account_id, "account_id");
  return { type, period, format, include: sections(fields.include), ...(accountId ? { accountId } : {}) };
}
