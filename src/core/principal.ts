// Who is calling: the caller a keyway key stands for, as every layer sees it (never the key itself).

/** The role a keyway key carries. */
export type KeyRole = "admin" | "developer" | "viewer";

export interface Principal {
  keyId: string;
  accountId: string;
  teamId: string | null;
  role: KeyRole;
  /** The operator (admin key): may act on every account. */
  operator: boolean;
  ipAllowlist: string[] | null;
}
