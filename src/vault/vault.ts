// Stored provider keys: seal on add, reveal (briefly cached in memory) on use, list without secrets, remove.
import type { ProviderKeyRecord, ProviderKeysRepo } from "../store/provider-keys-repo.ts";
import { newId } from "../store/ids.ts";
import type { AuditLog } from "./audit-log.ts";
import type { Cipher } from "./cipher.ts";

export interface StoredKeySettings {
  default_model?: string;
  max_tokens_default?: number;
  temperature_default?: number;
  safety_settings?: unknown;
}

export interface NewStoredKey {
  provider: string;
  apiKey: string;
  label?: string;
  environment?: string;
  organizationId?: string;
  settings?: StoredKeySettings;
  rotationDays?: number;
  teamId?: string | null;
}

export interface Actor {
  /** The keyway key id that acts, or `cli` / `scheduler`. */
  id: string;
  accountId: string;
  /** A team key acts on its team's keys only. */
  teamId?: string | null;
}

/** Whether an actor may see or change a stored key: same account, and for team keys, the same team. */
export function actorOwns(actor: Actor, record: { accountId: string; teamId: string | null }): boolean {
  if (record.accountId !== actor.accountId) return false;
  return actor.teamId === undefined || actor.teamId === null || record.teamId === actor.teamId;
}

const REVEAL_TTL_MS = 60_000;

export function createVault(repo: ProviderKeysRepo, cipher: Cipher, audit: AuditLog) {
  const revealed = new Map<string, { secret: string; until: number }>();

  async function seal(accountId: string, input: NewStoredKey, now: number): Promise<ProviderKeyRecord> {
    const id = newId("pk");
    return {
      id,
      accountId,
      teamId: input.teamId ?? null,
      provider: input.provider,
      label: input.label ?? null,
      environment: input.environment ?? null,
      organizationId: input.organizationId ?? null,
      settings: (input.settings as Record<string, unknown> | undefined) ?? null,
      ciphertext: await cipher.encrypt(input.apiKey, id, accountId),
      hint: input.apiKey.slice(-4),
      fingerprint: cipher.fingerprint(input.apiKey),
      status: "active",
      rotationDays: input.rotationDays ?? null,
      retireAt: null,
      createdAt: now,
      rotatedAt: null,
    };
  }

  return {
    cipher,
    seal,
    /** Seals and stores several keys in one transaction; audits each. */
    async add(actor: Actor, inputs: NewStoredKey[]): Promise<ProviderKeyRecord[]> {
      const now = Date.now();
      const records = await Promise.all(inputs.map((input) => seal(actor.accountId, input, now)));
      await repo.insertMany(records);
      for (const record of records) {
        await audit.record({ accountId: actor.accountId, actor: actor.id, action: "key.add", keyId: record.id, provider: record.provider, outcome: "success" });
      }
      return records;
    },
    async remove(actor: Actor, record: ProviderKeyRecord): Promise<void> {
      await repo.remove(record.id);
      revealed.delete(record.id);
      await audit.record({ accountId: actor.accountId, actor: actor.id, action: "key.remove", keyId: record.id, provider: record.provider, outcome: "success" });
    },
    /** The plaintext key, for an upstream request only. Never logged, never returned to clients. */
    async reveal(record: ProviderKeyRecord): Promise<string> {
      const now = Date.now();
      const cached = revealed.get(record.id);
      if (cached && cached.until > now) return cached.secret;
      const secret = await cipher.decrypt(record.ciphertext, record.id, record.accountId);
      if (revealed.size > 10_000) revealed.clear();
      revealed.set(record.id, { secret, until: now + REVEAL_TTL_MS });
      return secret;
    },
    forget(id: string): void {
      revealed.delete(id);
    },
  };
}

export type Vault = ReturnType<typeof createVault>;
