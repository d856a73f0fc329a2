// keyway keys on Postgres as stored: digest, owner, role and limits; never the key itself.
import type { SQL } from "bun";
import { and, desc, eq, gte, isNull } from "drizzle-orm";
import { scopeConditions } from "../scope-conditions.ts";
import type { ApiKeyRecord, ApiKeysRepo, NewApiKeyRecord } from "../repositories/api-keys.ts";
import type { PgDb } from "./database.ts";
import { apiKeys } from "./schema.ts";

export function apiKeysRepo(db: PgDb, _sql: SQL): ApiKeysRepo {
  return {
    async insert(record: NewApiKeyRecord): Promise<void> {
      await db.insert(apiKeys).values(record);
    },
    async findByDigest(digest: string): Promise<ApiKeyRecord | undefined> {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.digest, digest));
      return row;
    },
    /** Keys of every account, of one account, or of one team of it; newest first. */
    async list(scope: { accountId?: string; teamId?: string } = {}): Promise<ApiKeyRecord[]> {
      const conditions = scopeConditions(apiKeys.accountId, apiKeys.teamId, scope);
      return db
        .select()
        .from(apiKeys)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(apiKeys.createdAt));
    },
    /** Digests of the keys revoked at or after `since` (ms): what authenticator caches must forget. */
    async revokedDigestsSince(since: number): Promise<string[]> {
      const rows = await db.select({ digest: apiKeys.digest }).from(apiKeys).where(gte(apiKeys.revokedAt, since));
      return rows.map((row) => row.digest);
    },
    async get(id: string): Promise<ApiKeyRecord | undefined> {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
      return row;
    },
    /** Marks a key revoked; returns its digest, or undefined when there was no such live key. */
    async revoke(id: string, at = Date.now()): Promise<string | undefined> {
      const [row] = await db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ digest: apiKeys.digest });
      return row?.digest;
    },
  };
}
