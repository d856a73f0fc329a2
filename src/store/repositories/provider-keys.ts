// The stored provider keys repository contract: sealed secrets and their metadata as rows; never plaintext.
import type { GatewayLease } from "./gateway-leases.ts";

/** active: takes traffic; retiring: a fallback until retire_at; retired: never used again. */
export type ProviderKeyStatus = "active" | "retiring" | "retired";

export interface ProviderKeyRecord {
  id: string;
  accountId: string;
  teamId: string | null;
  /** The configured provider name (what clients write before '/'). */
  provider: string;
  label: string | null;
  environment: string | null;
  organizationId: string | null;
  settings: Record<string, unknown> | null;
  /** `v1:<kid>:<base64(nonce || ciphertext)>`, AES-256-GCM with the record id and account as additional data. */
  ciphertext: string;
  /** The last 4 characters, to tell keys apart in lists. */
  hint: string;
  /** HMAC-SHA256 of the key under a key derived from the master key: recognises a key without revealing it. */
  fingerprint: string;
  status: ProviderKeyStatus;
  rotationDays: number | null;
  retireAt: number | null;
  createdAt: number;
  rotatedAt: number | null;
}

export interface Resealed {
  id: string;
  ciphertext: string;
  fingerprint: string;
}

/**
 * Run inside a write's transaction with the canary as it is then (the canary names the master key the
 * database uses): throwing aborts the write, so no process stores a value sealed with a key rotated away.
 */
export interface SealCheck {
  setting: string;
  check(canary: string | undefined): void;
}

/** A master-key rotation, applied in one write transaction. */
export interface ResealPlan {
  canarySetting: string;
  /** Runs first with the canary and the gateway leases as they are in the transaction; throwing aborts. */
  admit(state: { canary: string | undefined; leases: GatewayLease[] }): void;
  /** Every record as it is in the transaction, sealed again. */
  reseal(record: ProviderKeyRecord): Resealed;
  /** The canary sealed with the new key. */
  canary: string;
}

export interface ProviderKeysRepo {
  /** Inserts the records in one write transaction, after `seal.check` accepts the canary. */
  insertMany(records: ProviderKeyRecord[], seal: SealCheck): Promise<void>;
  count(): Promise<number>;
  get(id: string): Promise<ProviderKeyRecord | undefined>;
  /** An account's keys, newest first; optionally one provider and some statuses. */
  list(accountId: string, provider?: string, statuses?: ProviderKeyStatus[]): Promise<ProviderKeyRecord[]>;
  /** Retiring keys whose grace period is over, in every account. */
  dueForRetirement(now: number): Promise<ProviderKeyRecord[]>;
  all(): Promise<ProviderKeyRecord[]>;
  setStatus(id: string, status: ProviderKeyStatus, fields?: { retireAt?: number | null; rotatedAt?: number }): Promise<void>;
  /** Inserts the new key and demotes the old one in one write transaction, after `seal.check` accepts the canary. */
  rotate(next: ProviderKeyRecord, oldId: string, oldStatus: ProviderKeyStatus, retireAt: number | null, seal: SealCheck): Promise<void>;
  remove(id: string): Promise<boolean>;
  /** Master-key rotation: every record re-read and resealed, and the canary replaced, in one transaction, or nothing. */
  resealAll(plan: ResealPlan): Promise<number>;
}
