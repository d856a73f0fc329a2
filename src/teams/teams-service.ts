// Creating and changing teams: settings checked against the configured providers, members with their keys.
import { generateKeywayKey, digestKey, displayPrefix } from "../accounts/key-material.ts";
import { parseAllowlist } from "../accounts/ip-allowlist.ts";
import { invalidRequest } from "../core/errors.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { ApiKeyRecord } from "../store/repositories/api-keys.ts";
import { newId } from "../store/ids.ts";
import type { TeamMemberRecord, TeamRecord } from "../store/repositories/teams.ts";
import type { TeamMemberSettings, TeamPermissions, UsageControlSettings } from "./team-settings.ts";

export interface TeamInput {
  name?: string;
  byok_permissions?: TeamPermissions & { usage_controls?: UsageControlSettings };
  usage_controls?: UsageControlSettings;
  members?: TeamMemberSettings[];
  ip_allowlist?: string[];
}

export interface NewMember {
  record: TeamMemberRecord;
  key: string;
}

/** The provider rules and usage controls of a request body, checked; the seed nests usage_controls in byok_permissions. */
export function teamSettings(input: TeamInput, providers: ProviderSet): { permissions?: TeamPermissions; controls?: UsageControlSettings } {
  const rules = input.byok_permissions?.providers;
  for (const name of Object.keys(rules ?? {})) {
    if (!providers.get(name)) throw invalidRequest(`Unknown provider '${name}' in the team's permissions.`, `byok_permissions.providers.${name}`);
  }
  if (input.ip_allowlist) parseAllowlist(input.ip_allowlist);
  const controls = input.usage_controls ?? input.byok_permissions?.usage_controls;
  return { permissions: input.byok_permissions ? { providers: rules ?? {} } : undefined, controls };
}

export function newMembers(team: Pick<TeamRecord, "id" | "accountId">, members: TeamMemberSettings[]): { members: NewMember[]; keys: ApiKeyRecord[] } {
  const now = Date.now();
  const out: NewMember[] = [];
  const keys: ApiKeyRecord[] = [];
  for (const member of members) {
    const key = generateKeywayKey();
    const apiKey: ApiKeyRecord = {
      id: newId("key"),
      accountId: team.accountId,
      teamId: team.id,
      name: member.email,
      role: member.role,
      operator: false,
      digest: digestKey(key),
      prefix: displayPrefix(key),
      ipAllowlist: null,
      expiresAt: null,
      revokedAt: null,
      createdAt: now,
    };
    keys.push(apiKey);
    out.push({
      key,
      record: { id: newId("mem"), teamId: team.id, email: member.email, role: member.role, byokAccess: member.byok_access ?? member.role !== "viewer", apiKeyId: apiKey.id, createdAt: now },
    });
  }
  return { members: out, keys };
}
