// Buffers usage records and writes them in batches, off the response path; flushes on shutdown.
import type { Logger } from "../telemetry/logger.ts";
import { describeError } from "../telemetry/logger.ts";
import type { UsageRecord, UsageRepo } from "../store/usage-repo.ts";

export interface UsageRecorder {
  record(row: UsageRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createUsageRecorder(repo: UsageRepo, logger: Logger, options = { intervalMs: 500, maxBatch: 500 }): UsageRecorder {
  let pending: UsageRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    writing = repo.insertMany(batch).catch((error) => {
      logger.error("usage records could not be written; keeping them for the next flush", describeError(error));
      pending = batch.concat(pending);
    });
    await writing;
  };
  const timer = setInterval(() => void flush(), options.intervalMs);
  timer.unref?.();
  return {
    record(row) {
      pending.push(row);
      if (pending.length >= options.maxBatch) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
