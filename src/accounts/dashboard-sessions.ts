// Dashboard sessions: a keyway key exchanged for a session cookie (32 random bytes; the database keeps only their
// SHA-256 digest) and a CSRF token. Every use looks the key up again, so a revoked or expired key's sessions stop
// at once; a session never outlives its key.
import type { Principal } from "../core/principal.ts";
import type { DashboardSession, DashboardSessionsRepo } from "../store/repositories/dashboard-sessions.ts";
import { digestKey } from "./key-material.ts";

/** The principal and expiry of a live keyway key by its id (the authenticator's `byKeyId`). */
export type KeyById = (keyId: string, now?: number) => Promise<{ principal: Principal; expiresAt: number | null } | undefined>;

export interface SessionSettings {
  /** How long a session lasts at most, in ms (dashboard.session_ttl_minutes). */
  ttlMs: number;
}

/** A session just opened: the cookie value (handed to the browser once, never stored) and its row. */
export interface OpenedSession {
  token: string;
  session: DashboardSession;
}

export interface FoundSession {
  session: DashboardSession;
  principal: Principal;
}

const randomToken = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/** A cookie value keyway could have issued: base64url of 32 bytes. Anything else is not looked up. */
const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

export function createDashboardSessions(repo: DashboardSessionsRepo, byKeyId: KeyById, settings: SessionSettings) {
  return {
    /** Opens a session for a principal that just authenticated with its key; expired sessions are swept on the way. */
    async open(principal: Principal, now = Date.now()): Promise<OpenedSession | undefined> {
      const key = await byKeyId(principal.keyId, now);
      if (!key) return undefined;
      await repo.removeExpired(now);
      const token = randomToken();
      const expiresAt = Math.min(now + settings.ttlMs, key.expiresAt ?? Number.POSITIVE_INFINITY);
      const session: DashboardSession = {
        id: digestKey(token),
        apiKeyId: principal.keyId,
        accountId: principal.accountId,
        csrfToken: randomToken(),
        createdAt: now,
        expiresAt,
      };
      await repo.insert(session);
      return { token, session };
    },
    /** The live session of a cookie value and the principal of its key; undefined when unknown, expired or its key is gone. */
    async find(token: string, now = Date.now()): Promise<FoundSession | undefined> {
      if (!WELL_FORMED.test(token)) return undefined;
      const session = await repo.get(digestKey(token));
      if (!session || session.expiresAt <= now) return undefined;
      const key = await byKeyId(session.apiKeyId, now);
      if (!key) return undefined;
      return { session, principal: key.principal };
    },
    /** Ends a session (sign-out); false when there was none. */
    async close(token: string): Promise<boolean> {
      if (!WELL_FORMED.test(token)) return false;
      return repo.remove(digestKey(token));
    },
  };
}

export type DashboardSessions = ReturnType<typeof createDashboardSessions>;
