// Usage records, written in batches off the response path; flushed on shutdown.
import { type BatchWriter, createBatchWriter } from "../store/batch-writer.ts";
import type { UsageRecord, UsageRepo } from "../store/usage-repo.ts";
import type { Logger } from "../telemetry/logger.ts";

export interface UsageRecorder {
  record(row: UsageRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createUsageRecorder(repo: UsageRepo, logger: Logger): UsageRecorder {
  const writer: BatchWriter<UsageRecord> = createBatchWriter((rows) => repo.insertMany(rows), logger, { what: "usage records" });
  return { record: writer.add, flush: writer.flush, close: writer.close };
}
