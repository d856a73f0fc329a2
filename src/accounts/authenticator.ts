// Who is calling: a keyway key looked up by digest and cached; revocations reach the cache through the database
// (a cheap check of keys revoked since the last look, at most every `revocationCheckMs`), so every gateway sharing it sees them.
import type { ApiKeyRecord, ApiKeysRepo } from "../store/repositories/api-keys.ts";
import type { Principal } from "../core/principal.ts";
import { createDashboardSessions } from "./dashboard-sessions.ts";
import type { DashboardSessionsRepo } from "../store/repositories/dashboard-sessions.ts";
import { digestKey } from "./key-material.ts";

interface CacheEntry {
  record: ApiKeyRecord | undefined;
  /** The record's principal, made once (principals are never changed). */
  principal: Principal | undefined;
  until: number;
}

export interface AuthenticatorOptions {
  /** Digest of an admin key given in the config or environment (never stored). */
  configuredAdminDigest?: string;
  defaultAccountId: string;
  /** How long a lookup is trusted at most (a backstop; revocations evict entries sooner). Default 30 s. */
  cacheTtlMs?: number;
  /** How often (at most, on demand) the database is asked which keys were revoked since the last look. Default 500 ms. */
  revocationCheckMs?: number;
  /** Dashboard sessions (a key exchanged for a cookie): where they are kept and how long they last at most. */
  sessions?: { repo: DashboardSessionsRepo; ttlMs: number };
}

/** How far back each revocation check reaches past the previous one: covers clock skew between gateways and late commits. */
const REVOCATION_OVERLAP_MS = 5_000;

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
  const checkEvery = options.revocationCheckMs ?? 500;
  let checkedAt = Date.now();
  let checking: Promise<void> | undefined;
  const configuredAdmin: Principal = {
    keyId: "admin",
    accountId: options.defaultAccountId,
    teamId: null,
    role: "admin",
    operator: true,
    ipAllowlist: null,
  };

  /** Evicts the cached lookups of keys revoked since the last check (any gateway, the CLI, a team deletion). */
  function evictRevoked(now: number): Promise<void> | undefined {
    if (now - checkedAt < checkEvery) return undefined;
    checking ??= (async () => {
      const since = checkedAt - REVOCATION_OVERLAP_MS;
      checkedAt = now;
      try {
        for (const digest of await repo.revokedDigestsSince(since)) cache.delete(digest);
      } catch {
        // The database is unreachable: trust nothing cached rather than a key that may have been revoked.
        cache.clear();
      } finally {
        checking = undefined;
      }
    })();
    return checking;
  }

  async function lookup(digest: string, now: number): Promise<CacheEntry> {
    await evictRevoked(now);
    const cached = cache.get(digest);
    if (cached && cached.until > now) return cached;
    const record = await repo.findByDigest(digest);
    if (cache.size > 10_000) cache.clear();
    const entry = { record, principal: record ? toPrincipal(record) : undefined, until: now + ttl };
    cache.set(digest, entry);
    return entry;
  }

  /** The entry's principal while its key is neither revoked nor expired. */
  function usable(entry: CacheEntry, now: number): Principal | undefined {
    const { record } = entry;
    if (!record || record.revokedAt !== null) return undefined;
    if (record.expiresAt !== null && record.expiresAt <= now) return undefined;
    return entry.principal;
  }

  async function byKeyId(keyId: string, now = Date.now()): Promise<{ principal: Principal; expiresAt: number | null } | undefined> {
    if (keyId === configuredAdmin.keyId) return options.configuredAdminDigest === undefined ? undefined : { principal: configuredAdmin, expiresAt: null };
    const record = await repo.get(keyId);
    if (!record || record.revokedAt !== null) return undefined;
    if (record.expiresAt !== null && record.expiresAt <= now) return undefined;
    return { principal: toPrincipal(record), expiresAt: record.expiresAt };
  }

  return {
    /** Dashboard sessions, when configured: open, find by cookie, close. */
    sessions: options.sessions ? createDashboardSessions(options.sessions.repo, byKeyId, { ttlMs: options.sessions.ttlMs }) : undefined,
    /**
     * The principal for a presented key, or undefined when the key is unknown, revoked or expired: at once (no
     * promise) for the configured admin key and for a key looked up lately when no revocation check is due.
     */
    authenticate(presented: string | undefined): Principal | undefined | Promise<Principal | undefined> {
      if (!presented) return undefined;
      const digest = digestKey(presented);
      if (options.configuredAdminDigest !== undefined && digest === options.configuredAdminDigest) return configuredAdmin;
      const now = Date.now();
      const cached = now - checkedAt < checkEvery ? cache.get(digest) : undefined;
      if (cached && cached.until > now) return usable(cached, now);
      return lookup(digest, now).then((entry) => usable(entry, now));
    },
    /**
     * The principal of a key by its id, read from the database (not cached: a dashboard session asks on every use, so
     * a revoked or expired key stops at once), with the key's expiry; undefined when unknown, revoked or expired.
     */
    byKeyId,
    /** Forgets the cached lookups of these keys (after a revoke through this gateway: effective on the next request). */
    forget(digests: readonly string[]): void {
      for (const digest of digests) cache.delete(digest);
    },
    /** Forgets every cached lookup (signals from other gateways may have been missed). */
    forgetAll(): void {
      cache.clear();
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
