// Usage records: group-committed (a finished call's row is in the database before its answer ends), in batches.
import { type BatchWriter, createBatchWriter } from "../store/batch-writer.ts";
import type { UsageRecord, UsageRepo } from "../store/repositories/usage.ts";
import type { Logger } from "../telemetry/logger.ts";

export interface UsageRecorder {
  /** Resolves once the row is written, together with the rows of every call finishing at the same moment. */
  record(row: UsageRecord): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createUsageRecorder(repo: UsageRepo, logger: Logger): UsageRecorder {
  const writer: BatchWriter<UsageRecord> = createBatchWriter((rows) => repo.insertMany(rows), logger, { what: "usage records" });
  return { record: writer.commit, flush: writer.flush, close: writer.close };
}
