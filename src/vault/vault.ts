// Stored provider keys: seal on add, reveal (briefly cached in memory) on use, list without secrets, remove.
// Every write checks, in its transaction, that the database still uses the master key that sealed it.
import { GatewayError } from "../core/errors.ts";
import type { ProviderKeyRecord, ProviderKeysRepo, SealCheck } from "../store/repositories/provider-keys.ts";
import { newId } from "../store/ids.ts";
import type { AuditLog } from "./audit-log.ts";
import { CANARY_SETTING } from "./canary.ts";
import { type Cipher, DecryptionError, sealedKid, UnknownMasterKeyError } from "./cipher.ts";
import type { MasterKeyWatch } from "./master-key-watch.ts";

/** The settings every stored key may carry; a provider's own (its adapter's `keySettings`) sit beside them. */
export interface StoredKeySettings {
  default_model?: string;
  max_tokens_default?: number;
  temperature_default?: number;
  [providerSetting: string]: unknown;
}

export const GENERAL_KEY_SETTINGS = ["default_model", "max_tokens_default", "temperature_default"] as const;

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

/** Thrown inside a write's transaction: the database was rotated to another master key than the one that sealed. */
class RotatedAway extends Error {
  constructor(
    readonly held: string,
    readonly current: string,
  ) {
    super(`sealed with ${held}, database uses ${current}`);
  }
}

const sealedUnder = (kid: string): SealCheck => ({
  setting: CANARY_SETTING,
  check(canary) {
    const current = canary === undefined ? undefined : sealedKid(canary);
    if (current !== undefined && current !== kid) throw new RotatedAway(kid, current);
  },
});

/** A decryption failure as a clear `stored_key_unreadable` error naming the record and the key ids; anything else as is. */
function explain(record: ProviderKeyRecord, error: unknown): unknown {
  if (error instanceof UnknownMasterKeyError) {
    return new GatewayError(
      "stored_key_unreadable",
      `Stored key ${record.id} is sealed with master key ${error.kid}, but this gateway holds only master key ${error.held.join(", ")}: ` +
        "the master key was rotated or replaced while keyway ran; restart keyway with the current master key.",
    );
  }
  if (!(error instanceof DecryptionError)) return error;
  const kid = sealedKid(record.ciphertext) ?? "unknown";
  return new GatewayError("stored_key_unreadable", `Stored key ${record.id} does not open with master key ${kid} (it was altered, or moved to another record or account); remove it and store the key again.`);
}

export function createVault(repo: ProviderKeysRepo, cipher: Cipher, audit: AuditLog, watch: MasterKeyWatch) {
  const revealed = new Map<string, { secret: string; until: number }>();

  function seal(accountId: string, input: NewStoredKey, now: number): ProviderKeyRecord {
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
      ciphertext: cipher.encrypt(input.apiKey, id, accountId),
      hint: input.apiKey.slice(-4),
      fingerprint: cipher.fingerprint(input.apiKey),
      status: "active",
      rotationDays: input.rotationDays ?? null,
      retireAt: null,
      createdAt: now,
      rotatedAt: null,
    };
  }

  /**
   * Seals with the current master key and writes under a check that the database still uses it. After a rotation
   * this process missed, it follows the new key once (when it can read it) and seals again; else nothing is written.
   */
  async function writeSealed<T>(build: () => T, write: (sealed: T, check: SealCheck) => Promise<void>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const kid = cipher.kid;
      const sealed = build();
      try {
        await write(sealed, sealedUnder(kid));
        return sealed;
      } catch (error) {
        if (!(error instanceof RotatedAway)) throw error;
        if (attempt === 0 && (await watch.follow())) continue;
        throw new GatewayError(
          "stored_key_unreadable",
          `The master key was rotated while this process ran: this process holds master key ${error.held}, but the database is sealed with ${error.current} now, so nothing was stored. ` +
            "Restart keyway with the current master key.",
        );
      }
    }
  }

  const open = (record: ProviderKeyRecord) => cipher.decrypt(record.ciphertext, record.id, record.accountId);

  /** Opens with the key the record names; a key this process lacks is looked for once (a rotation it missed). */
  async function openOrExplain(record: ProviderKeyRecord): Promise<string> {
    try {
      return open(record);
    } catch (error) {
      if (!(error instanceof UnknownMasterKeyError) || !(await watch.follow()) || !cipher.holds(error.kid)) throw explain(record, error);
      try {
        return open(record);
      } catch (again) {
        throw explain(record, again);
      }
    }
  }

  return {
    cipher,
    seal,
    writeSealed,
    /** Seals and stores several keys in one transaction; audits each. */
    async add(actor: Actor, inputs: NewStoredKey[]): Promise<ProviderKeyRecord[]> {
      const now = Date.now();
      const records = await writeSealed(
        () => inputs.map((input) => seal(actor.accountId, input, now)),
        (sealed, check) => repo.insertMany(sealed, check),
      );
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
    /**
     * The plaintext key, for an upstream request only. Never logged, never returned to clients. Opened with the master
     * key the record names; a record no held key opens is a clear `stored_key_unreadable` error, never garbage.
     */
    async reveal(record: ProviderKeyRecord): Promise<string> {
      const now = Date.now();
      const cached = revealed.get(record.id);
      if (cached && cached.until > now) return cached.secret;
      const secret = await openOrExplain(record);
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
