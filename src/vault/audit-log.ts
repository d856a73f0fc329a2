// Writes audit events: management actions at once, key uses in batches (never one write per request).
import type { AuditEvent, AuditRepo } from "../store/repositories/audit.ts";
import { type BatchWriter, createBatchWriter } from "../store/batch-writer.ts";
import type { Logger } from "../telemetry/logger.ts";

export type AuditAction =
  | "key.add"
  | "key.remove"
  | "key.rotate"
  | "key.retire"
  | "key.use"
  | "key.rotation_due"
  | "key.schedule"
  | "master_key.rotate"
  | "approval.approve";

export interface AuditEntry {
  accountId: string;
  actor: string;
  action: AuditAction;
  keyId?: string | null;
  provider?: string | null;
  outcome: string;
  detail?: Record<string, unknown>;
}

export interface AuditLog {
  /** Management actions: written before the call returns. */
  record(entry: AuditEntry): Promise<void>;
  /** Key uses: buffered and written in batches. */
  recordUse(entry: AuditEntry): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const toRow = (entry: AuditEntry): AuditEvent => ({
  accountId: entry.accountId,
  actor: entry.actor,
  action: entry.action,
  keyId: entry.keyId ?? null,
  provider: entry.provider ?? null,
  outcome: entry.outcome,
  detail: entry.detail ?? null,
  createdAt: Date.now(),
});

export function createAuditLog(repo: AuditRepo, logger: Logger): AuditLog {
  const uses: BatchWriter<AuditEvent> = createBatchWriter((rows) => repo.insertMany(rows), logger, { what: "audit events", intervalMs: 1000 });
  return {
    record: (entry) => repo.insertMany([toRow(entry)]),
    recordUse: (entry) => uses.add(toRow(entry)),
    flush: uses.flush,
    close: uses.close,
  };
}
