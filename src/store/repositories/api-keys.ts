// The keyway keys repository contract: digest, owner, role and limits as stored; never the key itself.
import type { KeyRole } from "../../core/principal.ts";

/** The roles a keyway key can have: the one list lives in core. */
export type ApiKeyRole = KeyRole;

export interface ApiKeyRecord {
  id: string;
  accountId: string;
  teamId: string | null;
  name: string;
  role: ApiKeyRole;
  /** The operator's key: may act on every account. */
  operator: boolean;
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  digest: string;
  /** The first characters of the key, enough to recognise it in a list. */
  prefix: string;
  ipAllowlist: string[] | null;
  expiresAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

/** A key to insert: nullable fields may be left out, `operator` defaults to false. */
export type NewApiKeyRecord = Pick<ApiKeyRecord, "id" | "accountId" | "name" | "role" | "digest" | "prefix" | "createdAt"> &
  Partial<Pick<ApiKeyRecord, "teamId" | "operator" | "ipAllowlist" | "expiresAt" | "revokedAt">>;

export interface ApiKeysRepo {
  insert(record: NewApiKeyRecord): Promise<void>;
  findByDigest(digest: string): Promise<ApiKeyRecord | undefined>;
  /** Keys of every account, of one account, or of one team of it; newest first. */
  list(scope?: { accountId?: string; teamId?: string }): Promise<ApiKeyRecord[]>;
  /** Digests of the keys revoked at or after `since` (ms): what authenticator caches must forget. */
  revokedDigestsSince(since: number): Promise<string[]>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Marks a key revoked; returns its digest, or undefined when there was no such live key. */
  revoke(id: string, at?: number): Promise<string | undefined>;
}
