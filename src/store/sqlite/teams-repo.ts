// Teams and their members; a member's keyway key is an api_keys row created in the same transaction.
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "./database.ts";
import { apiKeys, teamMembers, teams } from "./schema.ts";
import type { ApiKeyRecord } from "../repositories/api-keys.ts";
import type { MemberChange, MemberUpdate, TeamMemberRecord, TeamRecord, TeamsRepo } from "../repositories/teams.ts";
import { scopeConditions } from "../scope-conditions.ts";

export function teamsRepo(db: Db): TeamsRepo {
  return {
    async create(team: TeamRecord, members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void> {
      db.transaction((tx) => {
        tx.insert(teams).values(team).run();
        if (keys.length > 0) tx.insert(apiKeys).values(keys).run();
        if (members.length > 0) tx.insert(teamMembers).values(members).run();
      });
    },
    async addMembers(members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void> {
      if (members.length === 0) return;
      db.transaction((tx) => {
        tx.insert(apiKeys).values(keys).run();
        tx.insert(teamMembers).values(members).run();
      });
    },
    async get(id: string): Promise<TeamRecord | undefined> {
      return db.select().from(teams).where(eq(teams.id, id)).get();
    },
    async list(scope: { accountId?: string; teamId?: string } = {}): Promise<TeamRecord[]> {
      const conditions = scopeConditions(teams.accountId, teams.id, scope);
      return db
        .select()
        .from(teams)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(asc(teams.createdAt), asc(teams.id))
        .all();
    },
    async members(teamId: string): Promise<TeamMemberRecord[]> {
      return db.select().from(teamMembers).where(eq(teamMembers.teamId, teamId)).all();
    },
    async memberByKey(apiKeyId: string): Promise<TeamMemberRecord | undefined> {
      return db.select().from(teamMembers).where(eq(teamMembers.apiKeyId, apiKeyId)).get();
    },
    async update(id: string, fields: Partial<Pick<TeamRecord, "name" | "permissions" | "usageControls" | "ipAllowlist">>): Promise<void> {
      db.update(teams).set(fields).where(eq(teams.id, id)).run();
    },
    async updateMember(teamId: string, memberId: string, fields: MemberUpdate): Promise<MemberChange | undefined> {
      return db.transaction((tx) => {
        const member = tx.select().from(teamMembers).where(and(eq(teamMembers.id, memberId), eq(teamMembers.teamId, teamId))).get();
        if (!member) return undefined;
        const changed = { ...member, role: fields.role ?? member.role, byokAccess: fields.byokAccess ?? member.byokAccess };
        tx.update(teamMembers).set({ role: changed.role, byokAccess: changed.byokAccess }).where(eq(teamMembers.id, memberId)).run();
        const key = tx.update(apiKeys).set({ role: changed.role }).where(and(eq(apiKeys.id, member.apiKeyId), isNull(apiKeys.revokedAt))).returning({ digest: apiKeys.digest }).get();
        return { member: changed, digest: key?.digest ?? null };
      });
    },
    async removeMember(teamId: string, memberId: string, at = Date.now()): Promise<MemberChange | undefined> {
      return db.transaction((tx) => {
        const member = tx.select().from(teamMembers).where(and(eq(teamMembers.id, memberId), eq(teamMembers.teamId, teamId))).get();
        if (!member) return undefined;
        const key = tx.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, member.apiKeyId), isNull(apiKeys.revokedAt))).returning({ digest: apiKeys.digest }).get();
        tx.delete(teamMembers).where(eq(teamMembers.id, memberId)).run();
        return { member, digest: key?.digest ?? null };
      });
    },
    /** Deletes the team and its members, and revokes the members' keys, in one transaction; returns the revoked keys' digests. */
    async delete(id: string, at = Date.now()): Promise<string[]> {
      return db.transaction((tx) => {
        const revoked = tx
          .update(apiKeys)
          .set({ revokedAt: at })
          .where(and(eq(apiKeys.teamId, id), isNull(apiKeys.revokedAt)))
          .returning({ digest: apiKeys.digest })
          .all();
        tx.delete(teamMembers).where(eq(teamMembers.teamId, id)).run();
        tx.delete(teams).where(eq(teams.id, id)).run();
        return revoked.map((r) => r.digest);
      });
    },
  };
}


