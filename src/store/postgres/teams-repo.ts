// Teams and their members on Postgres; a member's keyway key is an api_keys row written in the same transaction.
import type { SQL } from "bun";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { ApiKeyRecord } from "../repositories/api-keys.ts";
import type { MemberChange, MemberUpdate, TeamMemberRecord, TeamRecord, TeamsRepo, TeamUpdate } from "../repositories/teams.ts";
import { scopeConditions } from "../scope-conditions.ts";
import type { PgDb } from "./database.ts";
import { apiKeys, teamMembers, teams } from "./schema.ts";

export function teamsRepo(db: PgDb, _sql: SQL): TeamsRepo {
  return {
    async create(team: TeamRecord, members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.insert(teams).values(team);
        if (keys.length > 0) await tx.insert(apiKeys).values(keys);
        if (members.length > 0) await tx.insert(teamMembers).values(members);
      });
    },
    async addMembers(members: TeamMemberRecord[], keys: ApiKeyRecord[]): Promise<void> {
      if (members.length === 0) return;
      await db.transaction(async (tx) => {
        if (keys.length > 0) await tx.insert(apiKeys).values(keys);
        await tx.insert(teamMembers).values(members);
      });
    },
    async get(id: string): Promise<TeamRecord | undefined> {
      const [row] = await db.select().from(teams).where(eq(teams.id, id));
      return row;
    },
    async list(scope: { accountId?: string; teamId?: string } = {}): Promise<TeamRecord[]> {
      const conditions = scopeConditions(teams.accountId, teams.id, scope);
      return db
        .select()
        .from(teams)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(asc(teams.createdAt), asc(teams.id));
    },
    async members(teamId: string): Promise<TeamMemberRecord[]> {
      return db.select().from(teamMembers).where(eq(teamMembers.teamId, teamId));
    },
    async memberByKey(apiKeyId: string): Promise<TeamMemberRecord | undefined> {
      const [row] = await db.select().from(teamMembers).where(eq(teamMembers.apiKeyId, apiKeyId));
      return row;
    },
    async update(id: string, fields: TeamUpdate): Promise<void> {
      if (Object.values(fields).every((value) => value === undefined)) return;
      await db.update(teams).set(fields).where(eq(teams.id, id));
    },
    async updateMember(teamId: string, memberId: string, fields: MemberUpdate): Promise<MemberChange | undefined> {
      return db.transaction(async (tx) => {
        const [member] = await tx.select().from(teamMembers).where(and(eq(teamMembers.id, memberId), eq(teamMembers.teamId, teamId))).for("update");
        if (!member) return undefined;
        const changed = { ...member, role: fields.role ?? member.role, byokAccess: fields.byokAccess ?? member.byokAccess };
        await tx.update(teamMembers).set({ role: changed.role, byokAccess: changed.byokAccess }).where(eq(teamMembers.id, memberId));
        const [key] = await tx.update(apiKeys).set({ role: changed.role }).where(and(eq(apiKeys.id, member.apiKeyId), isNull(apiKeys.revokedAt))).returning({ digest: apiKeys.digest });
        return { member: changed, digest: key?.digest ?? null };
      });
    },
    async removeMember(teamId: string, memberId: string, at = Date.now()): Promise<MemberChange | undefined> {
      return db.transaction(async (tx) => {
        const [member] = await tx.select().from(teamMembers).where(and(eq(teamMembers.id, memberId), eq(teamMembers.teamId, teamId))).for("update");
        if (!member) return undefined;
        const [key] = await tx.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, member.apiKeyId), isNull(apiKeys.revokedAt))).returning({ digest: apiKeys.digest });
        await tx.delete(teamMembers).where(eq(teamMembers.id, memberId));
        return { member, digest: key?.digest ?? null };
      });
    },
    /**
     * Deletes the team and its members, and revokes the team's live keys, in one transaction; returns the revoked keys'
     * digests. The team row is locked first: members being added at the same time (their rows reference the team)
     * either commit before and have their keys revoked here, or wait and then fail on the team being gone.
     */
    async delete(id: string, at = Date.now()): Promise<string[]> {
      return db.transaction(async (tx) => {
        await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, id)).for("update");
        const revoked = await tx
          .update(apiKeys)
          .set({ revokedAt: at })
          .where(and(eq(apiKeys.teamId, id), isNull(apiKeys.revokedAt)))
          .returning({ digest: apiKeys.digest });
        await tx.delete(teamMembers).where(eq(teamMembers.teamId, id));
        await tx.delete(teams).where(eq(teams.id, id));
        return revoked.map((r) => r.digest);
      });
    },
  };
}
