// Buffers rows and writes them in batches off the request path; a failed batch is kept for the next flush.
import type { Logger } from "../telemetry/logger.ts";
import { describeError } from "../telemetry/logger.ts";

export interface BatchWriter<Row> {
  add(row: Row): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface BatchWriterOptions {
  what: string;
  intervalMs?: number;
  maxBatch?: number;
  /** Rows per transaction; the writer yields to the event loop between slices, so no request waits long. */
  sliceSize?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createBatchWriter<Row>(write: (rows: Row[]) => Promise<void>, logger: Logger, options: BatchWriterOptions): BatchWriter<Row> {
  const maxBatch = options.maxBatch ?? 500;
  const sliceSize = options.sliceSize ?? 64;
  let pending: Row[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    writing = (async () => {
      for (let start = 0; start < batch.length; start += sliceSize) {
        const slice = batch.slice(start, start + sliceSize);
        try {
          await write(slice);
        } catch (error) {
          logger.error(`${options.what} could not be written; keeping them for the next flush`, describeError(error));
          pending = batch.slice(start).concat(pending);
          return;
        }
        if (start + sliceSize < batch.length) await yieldToEventLoop();
      }
    })();
    await writing;
  };
  const timer = setInterval(() => void flush(), options.intervalMs ?? 500);
  timer.unref?.();
  return {
    add(row) {
      pending.push(row);
      if (pending.length >= maxBatch) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
