// Stored provider keys as rows: sealed secrets and their metadata; never plaintext.
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "./database.ts";
import { providerKeys, settings } from "./schema.ts";

export type ProviderKeyRecord = typeof providerKeys.$inferSelect;
export type ProviderKeyStatus = ProviderKeyRecord["status"];

export interface Resealed {
  id: string;
  ciphertext: string;
  fingerprint: string;
}

export function providerKeysRepo(db: Db) {
  return {
    async insertMany(records: ProviderKeyRecord[]): Promise<void> {
      if (records.length === 0) return;
      db.transaction((tx) => {
        tx.insert(providerKeys).values(records).run();
      });
    },
    async get(id: string): Promise<ProviderKeyRecord | undefined> {
      return db.select().from(providerKeys).where(eq(providerKeys.id, id)).get();
    },
    /** An account's keys, newest first; optionally one provider and some statuses. */
    async list(accountId: string, provider?: string, statuses?: ProviderKeyStatus[]): Promise<ProviderKeyRecord[]> {
      const conditions = [eq(providerKeys.accountId, accountId)];
      if (provider !== undefined) conditions.push(eq(providerKeys.provider, provider));
      if (statuses !== undefined) conditions.push(inArray(providerKeys.status, statuses));
      return db.select().from(providerKeys).where(and(...conditions)).orderBy(desc(providerKeys.createdAt)).all();
    },
    /** Retiring keys whose grace period is over, in every account. */
    async dueForRetirement(now: number): Promise<ProviderKeyRecord[]> {
      return db
        .select()
        .from(providerKeys)
        .where(and(eq(providerKeys.status, "retiring"), lte(providerKeys.retireAt, now)))
        .all();
    },
    async all(): Promise<ProviderKeyRecord[]> {
      return db.select().from(providerKeys).all();
    },
    async setStatus(id: string, status: ProviderKeyStatus, fields: { retireAt?: number | null; rotatedAt?: number } = {}): Promise<void> {
      db.update(providerKeys).set({ status, ...fields }).where(eq(providerKeys.id, id)).run();
    },
    /** Inserts the new key and demotes the old one in one transaction. */
    async rotate(next: ProviderKeyRecord, oldId: string, oldStatus: ProviderKeyStatus, retireAt: number | null): Promise<void> {
      db.transaction((tx) => {
        tx.insert(providerKeys).values(next).run();
        tx.update(providerKeys).set({ status: oldStatus, retireAt, rotatedAt: next.createdAt }).where(eq(providerKeys.id, oldId)).run();
      });
    },
    async remove(id: string): Promise<boolean> {
      return db.delete(providerKeys).where(eq(providerKeys.id, id)).returning({ id: providerKeys.id }).all().length > 0;
    },
    /** Master-key rotation: every sealed value and the canary replaced in one transaction, or none. */
    async reseal(updates: Resealed[], canarySetting: string, canary: string): Promise<void> {
      db.transaction((tx) => {
        for (const update of updates) {
          tx.update(providerKeys).set({ ciphertext: update.ciphertext, fingerprint: update.fingerprint }).where(eq(providerKeys.id, update.id)).run();
        }
        tx.insert(settings).values({ key: canarySetting, value: canary }).onConflictDoUpdate({ target: settings.key, set: { value: canary } }).run();
      });
    },
  };
}

export type ProviderKeysRepo = ReturnType<typeof providerKeysRepo>;
