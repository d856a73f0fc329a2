// Stored provider keys on Postgres as rows: sealed secrets and their metadata; never plaintext. Sealed writes and
// the master-key rotation exclude each other with an advisory lock, so no gateway stores a value sealed with a key
// another gateway is rotating away.
import type { SQL } from "bun";
import { and, count, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { ProviderKeyRecord, ProviderKeyStatus, ProviderKeysRepo, ResealPlan, Resealed, SealCheck } from "../repositories/provider-keys.ts";
import type { PgDb } from "./database.ts";
import { gatewayLeases, providerKeys, settings } from "./schema.ts";

/**
 * The advisory lock over sealed values (any fixed 64-bit number; this one spells "vault"): sealed writes hold it
 * shared, so they run side by side; the master-key rotation holds it exclusively, so it waits for them and they wait for it.
 */
export const VAULT_LOCK = 0x7661756c74;

/** Rows per INSERT: well under Postgres's 65,535 bound parameters at sixteen columns a row. */
const ROWS_PER_INSERT = 2_000;

type Tx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

async function canaryIn(tx: Tx, setting: string): Promise<string | undefined> {
  const [row] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, setting));
  return row?.value;
}

/** Takes the shared vault lock and runs the seal check with the canary as it is under that lock; throwing aborts. */
async function checkedSeal(tx: Tx, seal: SealCheck): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${VAULT_LOCK})`);
  seal.check(await canaryIn(tx, seal.setting));
}

/**
 * Writes every resealed value with one statement. The rows travel as one JSON text parameter: cast through text,
 * because Bun's client binds a string cast straight to jsonb as a JSON string, not as the document it holds.
 */
async function writeResealed(tx: Tx, updates: Resealed[]): Promise<void> {
  if (updates.length === 0) return;
  const values = JSON.stringify(updates.map(({ id, ciphertext, fingerprint }) => ({ id, ciphertext, fingerprint })));
  await tx.execute(sql`
    UPDATE provider_keys AS p SET ciphertext = v.ciphertext, fingerprint = v.fingerprint
    FROM jsonb_to_recordset(${values}::text::jsonb) AS v(id text, ciphertext text, fingerprint text)
    WHERE p.id = v.id`);
}

export function providerKeysRepo(db: PgDb, _sql: SQL): ProviderKeysRepo {
  return {
    async insertMany(records: ProviderKeyRecord[], seal: SealCheck): Promise<void> {
      if (records.length === 0) return;
      await db.transaction(async (tx) => {
        await checkedSeal(tx, seal);
        for (let at = 0; at < records.length; at += ROWS_PER_INSERT) {
          await tx.insert(providerKeys).values(records.slice(at, at + ROWS_PER_INSERT));
        }
      });
    },
    async count(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(providerKeys);
      return Number(row?.n ?? 0);
    },
    async get(id: string): Promise<ProviderKeyRecord | undefined> {
      const [row] = await db.select().from(providerKeys).where(eq(providerKeys.id, id));
      return row;
    },
    /** An account's keys, newest first; optionally one provider and some statuses. */
    async list(accountId: string, provider?: string, statuses?: ProviderKeyStatus[]): Promise<ProviderKeyRecord[]> {
      const conditions = [eq(providerKeys.accountId, accountId)];
      if (provider !== undefined) conditions.push(eq(providerKeys.provider, provider));
      if (statuses !== undefined) {
        if (statuses.length === 0) return [];
        conditions.push(inArray(providerKeys.status, statuses));
      }
      return db.select().from(providerKeys).where(and(...conditions)).orderBy(desc(providerKeys.createdAt));
    },
    /** Retiring keys whose grace period is over, in every account. */
    async dueForRetirement(now: number): Promise<ProviderKeyRecord[]> {
      return db
        .select()
        .from(providerKeys)
        .where(and(eq(providerKeys.status, "retiring"), lte(providerKeys.retireAt, now)));
    },
    async all(): Promise<ProviderKeyRecord[]> {
      return db.select().from(providerKeys);
    },
    async setStatus(id: string, status: ProviderKeyStatus, fields: { retireAt?: number | null; rotatedAt?: number } = {}): Promise<void> {
      await db.update(providerKeys).set({ status, ...fields }).where(eq(providerKeys.id, id));
    },
    /** Inserts the new key and demotes the old one in one transaction. */
    async rotate(next: ProviderKeyRecord, oldId: string, oldStatus: ProviderKeyStatus, retireAt: number | null, seal: SealCheck): Promise<void> {
      await db.transaction(async (tx) => {
        await checkedSeal(tx, seal);
        await tx.insert(providerKeys).values(next);
        await tx.update(providerKeys).set({ status: oldStatus, retireAt, rotatedAt: next.createdAt }).where(eq(providerKeys.id, oldId));
      });
    },
    async remove(id: string): Promise<boolean> {
      const gone = await db.delete(providerKeys).where(eq(providerKeys.id, id)).returning({ id: providerKeys.id });
      return gone.length > 0;
    },
    /**
     * Master-key rotation: under the exclusive vault lock (no sealed write under way), every record re-read with a row
     * lock and resealed, and the canary replaced, in one transaction, or nothing.
     */
    async resealAll(plan: ResealPlan): Promise<number> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${VAULT_LOCK})`);
        plan.admit({ canary: await canaryIn(tx, plan.canarySetting), leases: await tx.select().from(gatewayLeases) });
        const records = await tx.select().from(providerKeys).orderBy(providerKeys.id).for("update");
        await writeResealed(tx, records.map((record) => ({ ...plan.reseal(record), id: record.id })));
        await tx
          .insert(settings)
          .values({ key: plan.canarySetting, value: plan.canary })
          .onConflictDoUpdate({ target: settings.key, set: { value: plan.canary } });
        return records.length;
      });
    },
  };
}
