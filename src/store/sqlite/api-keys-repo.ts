// keyway keys as stored: digest, owner, role and limits; never the key itself.
import { and, desc, eq, gte, isNull } from "drizzle-orm";
import { scopeConditions } from "../scope-conditions.ts";
import type { Db } from "./database.ts";
import { apiKeys } from "./schema.ts";
import type { ApiKeyRecord, ApiKeysRepo, NewApiKeyRecord } from "../repositories/api-keys.ts";

export function apiKeysRepo(db: Db): ApiKeysRepo {
  return {
    async insert(record: NewApiKeyRecord): Promise<void> {
      db.insert(apiKeys).values(record).run();
    },
    async findByDigest(digest: string): Promise<ApiKeyRecord | undefined> {
      return db.select().from(apiKeys).where(eq(apiKeys.digest, digest)).get();
    },
    /** Keys of every account, of one account, or of one team of it. */
    async list(scope: { accountId?: string; teamId?: string } = {}): Promise<ApiKeyRecord[]> {
      const conditions = scopeConditions(apiKeys.accountId, apiKeys.teamId, scope);
      return db
        .select()
        .from(apiKeys)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(apiKeys.createdAt))
        .all();
    },
    /** Digests of the keys revoked at or after `since` (ms): what authenticator caches must forget. */
    async revokedDigestsSince(since: number): Promise<string[]> {
      return db.select({ digest: apiKeys.digest }).from(apiKeys).where(gte(apiKeys.revokedAt, since)).all().map((r) => r.digest);
    },
    async get(id: string): Promise<ApiKeyRecord | undefined> {
      return db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
    },
    /** Marks a key revoked; returns its digest, or undefined when there was no such live key. */
    async revoke(id: string, at = Date.now()): Promise<string | undefined> {
      const result = db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ digest: apiKeys.digest })
        .all();
      return result[0]?.digest;
    },
  };
}

