// Looks up teams and members for the request path, cached briefly and dropped when a team changes.
import type { TeamMemberRecord, TeamRecord, TeamsRepo } from "../store/repositories/teams.ts";
import type { TeamPermissions, UsageControlSettings } from "./team-settings.ts";

export interface TeamContext {
  team: TeamRecord;
  permissions: TeamPermissions;
  controls: UsageControlSettings;
}

const TTL_MS = 5_000;

export function createTeamDirectory(repo: TeamsRepo) {
  const teams = new Map<string, { value: TeamContext | undefined; until: number }>();
  const members = new Map<string, { value: TeamMemberRecord | undefined; until: number }>();
  return {
    async team(id: string): Promise<TeamContext | undefined> {
      const now = Date.now();
      const cached = teams.get(id);
      if (cached && cached.until > now) return cached.value;
      const team = await repo.get(id);
      const value = team ? { team, permissions: team.permissions as TeamPermissions, controls: team.usageControls as UsageControlSettings } : undefined;
      teams.set(id, { value, until: now + TTL_MS });
      return value;
    },
    async member(apiKeyId: string): Promise<TeamMemberRecord | undefined> {
      const now = Date.now();
      const cached = members.get(apiKeyId);
      if (cached && cached.until > now) return cached.value;
      const value = await repo.memberByKey(apiKeyId);
      members.set(apiKeyId, { value, until: now + TTL_MS });
      return value;
    },
    invalidate(): void {
      teams.clear();
      members.clear();
    },
  };
}

export type TeamDirectory = ReturnType<typeof createTeamDirectory>;
