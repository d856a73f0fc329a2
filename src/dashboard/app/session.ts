// The signed-in session as the server describes it (GET /v1/sessions/current): who, until when, and which actions
// its role may take. The keyway key typed at sign-in is sent once and never kept.
import { api, setCsrfToken } from "./api.ts";

export interface Session {
  expires_at: string;
  csrf_token: string;
  key_id: string;
  account_id: string;
  team_id: string | null;
  role: "admin" | "developer" | "viewer";
  operator: boolean;
  /** The actions this role may take (src/accounts/permissions.ts), each with its reach. */
  permissions: Record<string, string>;
}

/** True when the session's role may take the action (the API enforces it regardless). */
export const can = (session: Session, action: string): boolean => session.permissions[action] !== undefined;

export async function signIn(key: string): Promise<Session> {
  const session = await api<Session>("/v1/sessions", { method: "POST", body: { key } });
  setCsrfToken(session.csrf_token);
  return session;
}

/** The current session, or null when the browser has none (or it ended). */
export async function currentSession(): Promise<Session | null> {
  try {
    const session = await api<Session>("/v1/sessions/current");
    setCsrfToken(session.csrf_token);
    return session;
  } catch (error) {
    if ((error as { status?: number }).status === 401) return null;
    throw error;
  }
}

export async function signOut(): Promise<void> {
  try {
    await api("/v1/sessions/current", { method: "DELETE" });
  } finally {
    setCsrfToken(null);
  }
}
