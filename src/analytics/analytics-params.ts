// The query parameters of the analytics endpoints: group_by and the filters (provider, team_id, project,
// key_source), checked into typed values; bad input is a 400 naming the parameter.
import { invalidRequest } from "../core/errors.ts";
import type { UsageDimension } from "../store/repositories/usage-rollups.ts";

export const GROUP_NAMES = ["provider", "model", "team", "project", "key_source"] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

/** The dimension each group is read by (a model is read with its provider: the same name on two providers is two models). */
export const GROUP_DIMENSIONS: Readonly<Record<GroupName, readonly UsageDimension[]>> = {
  provider: ["provider"],
  model: ["provider", "model"],
  team: ["teamId"],
  project: ["projectTag"],
  key_source: ["keySource"],
};

/** Key sources whose provider key the customer brought: given with the request, or stored in keyway. */
export const BYOK_KEY_SOURCES = ["request", "stored"] as const;
export const KEY_SOURCES = ["request", "stored", "platform"] as const;

/** The groups asked for (a comma list, each once, in the order given), or `fallback` when the parameter is absent. */
export function parseGroupBy(raw: string | null, allowed: readonly GroupName[], fallback: readonly GroupName[]): GroupName[] {
  if (raw === null || raw.trim() === "") return [...fallback];
  const asked: GroupName[] = [];
  for (const part of raw.split(",").map((p) => p.trim())) {
    if (!(allowed as readonly string[]).includes(part)) {
      throw invalidRequest(`'group_by' takes a comma-separated list of ${allowed.join(", ")}; '${part}' is not one of them.`, "group_by");
    }
    if (!asked.includes(part as GroupName)) asked.push(part as GroupName);
  }
  return asked;
}

const PROVIDER_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const MAX_FILTER_LENGTH = 200;

export interface AnalyticsFilters {
  provider?: string;
  teamId?: string;
  project?: string;
  keySource?: (typeof KEY_SOURCES)[number];
}

function text(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (value.length > MAX_FILTER_LENGTH) throw invalidRequest(`'${name}' is at most ${MAX_FILTER_LENGTH} characters.`, name);
  return value;
}

/** The filters given; `key_source` only where `withKeySource` (the all-sources endpoint). */
export function parseFilters(query: URLSearchParams, withKeySource: boolean): AnalyticsFilters {
  const filters: AnalyticsFilters = {};
  const provider = text(query, "provider");
  if (provider !== undefined) {
    if (!PROVIDER_NAME.test(provider)) throw invalidRequest(`'provider' is not a provider name: '${provider}'.`, "provider");
    filters.provider = provider;
  }
  const teamId = text(query, "team_id");
  if (teamId !== undefined) filters.teamId = teamId;
  const project = text(query, "project");
  if (project !== undefined) filters.project = project;
  const keySource = text(query, "key_source");
  if (keySource !== undefined) {
    if (!withKeySource) throw invalidRequest("'key_source' is a filter of /v1/analytics/usage only.", "key_source");
    if (!(KEY_SOURCES as readonly string[]).includes(keySource)) {
      throw invalidRequest(`'key_source' must be one of ${KEY_SOURCES.join(", ")}, not '${keySource}'.`, "key_source");
    }
    filters.keySource = keySource as AnalyticsFilters["keySource"];
  }
  return filters;
}
