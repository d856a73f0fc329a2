// The teams repository contract: teams and their members; a member's keyway key is an api_keys row written with it.
import type { ApiKeyRecord, ApiKeyRole } from "./api-keys.ts";

export interface TeamRecord {
  id: string;
  accountId: string;
  name: string;
  permissions: Record<string, unknown>;
  usageControls: Record<string, unknown>;
  ipAllowlist: string[] | null;
  createdAt: number;
}

export interface TeamMemberRecord {
  id: string;
  teamId: string;
  email: string;
  role: ApiKeyRole;
  byokAccess: boolean;
  apiKeyId: string;
  createdAt: number;
}

export type TeamUpdate = Partial<Pick<TeamRecord, "name" | "permissions" | "usageControls" | "ipAllowlist">>;

export interface TeamsRepo {
  /** The team, its members and their keys, in one transaction. */
  create(team: TeamRecord, members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void>;
  /** Members and their keys, in one transaction. */
  addMembers(members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void>;
  get(id: string): Promise<TeamRecord | undefined>;
  members(teamId: string): Promise<TeamMemberRecord[]>;
  memberByKey(apiKeyId: string): Promise<TeamMemberRecord | undefined>;
  update(id: string, fields: TeamUpdate): Promise<void>;
  /** Deletes the team and its members, and revokes the team's live keys, in one transaction; returns the revoked keys' digests. */
  delete(id: string, at?: number): Promise<string[]>;
}
