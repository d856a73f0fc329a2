// The dashboard sessions repository contract: a signed-in browser's session, found by the SHA-256 digest of its
// cookie (the cookie value itself is never stored), with the keyway key it stands for and its CSRF token.

export interface DashboardSession {
  /** SHA-256 of the session cookie's value, hex. */
  id: string;
  /** The keyway key signed in with (its id; "admin" for the configured admin key). */
  apiKeyId: string;
  accountId: string;
  /** Sent back by the page as X-CSRF-Token on every state-changing call. */
  csrfToken: string;
  createdAt: number;
  /** Epoch ms; from then on the session is refused. */
  expiresAt: number;
}

export interface DashboardSessionsRepo {
  insert(session: DashboardSession): Promise<void>;
  get(id: string): Promise<DashboardSession | undefined>;
  /** Deletes one session; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Deletes the sessions that expired at or before `now`; returns how many. */
  removeExpired(now: number): Promise<number>;
}
