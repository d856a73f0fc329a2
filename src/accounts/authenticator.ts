// Who is calling: a keyway key looked up by digest, cached briefly so the hot path rarely touches the database.
import type { ApiKeyRecord, ApiKeysRepo } from "../store/api-keys-repo.ts";
import { digestKey } from "./key-material.ts";

export interface Principal {
  keyId: string;
  accountId: string;
  teamId: string | null;
  role: ApiKeyRecord["role"];
  /** The operator (admin key): may act on every account. */
  operator: boolean;
  ipAllowlist: string[] | null;
}

interface CacheEntry {
  record: ApiKeyRecord | undefined;
  until: number;
}

export interface AuthenticatorOptions {
  /** Digest of an admin key given in the config or environment (never stored). */
  configuredAdminDigest?: string;
  defaultAccountId: string;
  cacheTtlMs?: number;
}

function toPrincipal(record: ApiKeyRecord): Principal {
  return {
    keyId: record.id,
    accountId: record.accountId,
    teamId: record.teamId,
    role: record.role,
    operator: record.operator,
    ipAllowlist: record.ipAllowlist ?? null,
  };
}

export function createAuthenticator(repo: ApiKeysRepo, options: AuthenticatorOptions) {
  const cache = new Map<string, CacheEntry>();
  const ttl = options.cacheTtlMs ?? 30_000;
  const configuredAdmin: Principal = {
    keyId: "admin",
    accountId: options.defaultAccountId,
    teamId: null,
    role: "admin",
    operator: true,
    ipAllowlist: null,
  };

  async function lookup(digest: string, now: number): Promise<ApiKeyRecord | undefined> {
    const cached = cache.get(digest);
    if (cached && cached.until > now) return cached.record;
    const record = await repo.findByDigest(digest);
    if (cache.size > 10_000) cache.clear();
    cache.set(digest, { record, until: now + ttl });
    return record;
  }

  return {
    /** The principal for a presented key, or undefined when the key is unknown, revoked or expired. */
    async authenticate(presented: string | undefined): Promise<Principal | undefined> {
      if (!presented) return undefined;
      const digest = digestKey(presented);
      if (options.configuredAdminDigest !== undefined && digest === options.configuredAdminDigest) return configuredAdmin;
      const now = Date.now();
      const record = await lookup(digest, now);
      if (!record || record.revokedAt !== null) return undefined;
      if (record.expiresAt !== null && record.expiresAt <= now) return undefined;
      return toPrincipal(record);
    },
    /** Forget cached lookups (after a revoke on this instance). */
    invalidate(): void {
      cache.clear();
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
