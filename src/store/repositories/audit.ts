// The audit log repository contract: who added, rotated, removed or used which stored key, when, with what outcome.

export interface StoredAuditEvent {
  id: number;
  accountId: string;
  /** The keyway key that acted, or `cli` / `scheduler`. */
  actor: string;
  action: string;
  keyId: string | null;
  provider: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
  createdAt: number;
}

/** An event to write: the id is assigned by the store, nullable fields may be left out. */
export type AuditEvent = Omit<StoredAuditEvent, "id" | "keyId" | "provider" | "detail"> &
  Partial<Pick<StoredAuditEvent, "id" | "keyId" | "provider" | "detail">>;

export interface AuditQuery {
  accountId?: string;
  action?: string;
  keyId?: string;
  provider?: string;
  actor?: string;
  since?: number;
  until?: number;
  /** Only events a team's keys did or its stored provider keys underwent. */
  team?: { actors: string[]; keyIds: string[] };
  limit: number;
}

export interface AuditRepo {
  insertMany(rows: AuditEvent[]): Promise<void>;
  /** Events matching every given filter, newest (highest id) first, at most `limit`. */
  query(q: AuditQuery): Promise<StoredAuditEvent[]>;
}
