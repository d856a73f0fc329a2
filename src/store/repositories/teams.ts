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

export type MemberUpdate = Partial<Pick<TeamMemberRecord, "role" | "byokAccess">>;

/** A member as changed or removed, with the digest of the keyway key that changed with it (null: it was already revoked). */
export interface MemberChange {
  member: TeamMemberRecord;
  digest: string | null;
}

export interface TeamsRepo {
  /** The team, its members and their keys, in one transaction. */
  create(team: TeamRecord, members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void>;
  /** Members and their keys, in one transaction. */
  addMembers(members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void>;
  get(id: string): Promise<TeamRecord | undefined>;
  /** Teams of every account, of one account, or the one team named; oldest first. */
  list(scope?: { accountId?: string; teamId?: string }): Promise<TeamRecord[]>;
  members(teamId: string): Promise<TeamMemberRecord[]>;
  memberByKey(apiKeyId: string): Promise<TeamMemberRecord | undefined>;
  update(id: string, fields: TeamUpdate): Promise<void>;
  /** Changes a member's role or BYOK access; the role goes to the member's keyway key in the same transaction. Undefined: the team has no such member. */
  updateMember(teamId: string, memberId: string, fields: MemberUpdate): Promise<MemberChange | undefined>;
  /** Removes a member and revokes their keyway key, in one transaction. Undefined: the team has no such member. */
  removeMember(teamId: string, memberId: string, at?: number): Promise<MemberChange | undefined>;
  /** Deletes the team and its members, and revokes the team's live keys, in one transaction; returns the revoked keys' digests. */
  delete(id: string, at?: number): Promise<string[]>;
}
