// Stored provider keys as rows: sealed secrets and their metadata; never plaintext.
import { and, count, desc, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "./database.ts";
import { gatewayLeases, providerKeys, settings } from "./schema.ts";
import type { ProviderKeyRecord, ProviderKeyStatus, ProviderKeysRepo, ResealPlan, SealCheck } from "../repositories/provider-keys.ts";

// Writes that depend on what they read take the write lock first, so no other writer slips in between.
const WRITE_FIRST = { behavior: "immediate" } as const;

export function providerKeysRepo(db: Db): ProviderKeysRepo {
  return {
    async insertMany(records: ProviderKeyRecord[], seal: SealCheck): Promise<void> {
      if (records.length === 0) return;
      db.transaction((tx) => {
        seal.check(tx.select().from(settings).where(eq(settings.key, seal.setting)).get()?.value);
        tx.insert(providerKeys).values(records).run();
      }, WRITE_FIRST);
    },
    async count(): Promise<number> {
      return db.select({ n: count() }).from(providerKeys).get()?.n ?? 0;
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
    async rotate(next: ProviderKeyRecord, oldId: string, oldStatus: ProviderKeyStatus, retireAt: number | null, seal: SealCheck): Promise<void> {
      db.transaction((tx) => {
        seal.check(tx.select().from(settings).where(eq(settings.key, seal.setting)).get()?.value);
        tx.insert(providerKeys).values(next).run();
        tx.update(providerKeys).set({ status: oldStatus, retireAt, rotatedAt: next.createdAt }).where(eq(providerKeys.id, oldId)).run();
      }, WRITE_FIRST);
    },
    async remove(id: string): Promise<boolean> {
      return db.delete(providerKeys).where(eq(providerKeys.id, id)).returning({ id: providerKeys.id }).all().length > 0;
    },
    /** Master-key rotation: every record re-read and resealed, and the canary replaced, in one transaction, or nothing. */
    async resealAll(plan: ResealPlan): Promise<number> {
      return db.transaction((tx) => {
        plan.admit({
          canary: tx.select().from(settings).where(eq(settings.key, plan.canarySetting)).get()?.value,
          leases: tx.select().from(gatewayLeases).all(),
        });
        const records = tx.select().from(providerKeys).all();
        for (const record of records) {
          const update = plan.reseal(record);
          tx.update(providerKeys).set({ ciphertext: update.ciphertext, fingerprint: update.fingerprint }).where(eq(providerKeys.id, record.id)).run();
        }
        tx.insert(settings).values({ key: plan.canarySetting, value: plan.canary }).onConflictDoUpdate({ target: settings.key, set: { value: plan.canary } }).run();
        return records.length;
      }, WRITE_FIRST);
    },
  };
}

