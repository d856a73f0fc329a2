// keyway keys as stored: digest, owner, role and limits; never the key itself.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "./database.ts";
import { apiKeys } from "./schema.ts";

export type ApiKeyRecord = typeof apiKeys.$inferSelect;
export type NewApiKeyRecord = typeof apiKeys.$inferInsert;

export function apiKeysRepo(db: Db) {
  return {
    async insert(record: NewApiKeyRecord): Promise<void> {
      db.insert(apiKeys).values(record).run();
    },
    async findByDigest(digest: string): Promise<ApiKeyRecord | undefined> {
      return db.select().from(apiKeys).where(eq(apiKeys.digest, digest)).get();
    },
    async list(accountId?: string): Promise<ApiKeyRecord[]> {
      const query = db.select().from(apiKeys);
      const rows = accountId === undefined ? query.orderBy(desc(apiKeys.createdAt)).all()
        : query.where(eq(apiKeys.accountId, accountId)).orderBy(desc(apiKeys.createdAt)).all();
      return rows;
    },
    async get(id: string): Promise<ApiKeyRecord | undefined> {
      return db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
    },
    /** Marks a key revoked; returns false when there was no such live key. */
    async revoke(id: string, at = Date.now()): Promise<boolean> {
      const result = db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id })
        .all();
      return result.length > 0;
    },
  };
}

export type ApiKeysRepo = ReturnType<typeof apiKeysRepo>;
