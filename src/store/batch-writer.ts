// Buffers rows and writes them in batches off the request path; a failed batch is kept for the next flush.
// `commit` is the group-commit path: the row joins the next batch, written at the next turn of the event loop,
// and the promise resolves once that batch is in the database.
import type { Logger } from "../telemetry/logger.ts";
import { describeError } from "../telemetry/logger.ts";

export interface BatchWriter<Row> {
  /** Buffers a row; written within `intervalMs`. */
  add(row: Row): void;
  /**
   * Buffers a row and resolves once the batch holding it is written (rows added meanwhile share the write).
   * A batch that cannot be written resolves too (its rows are logged and kept for the next flush): a database
   * outage must not hold answers forever.
   */
  commit(row: Row): Promise<void>;
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
  /** What `commit` calls whose rows are in `pending` wait for: one promise for the whole batch, made by its first. */
  let waiting: PromiseWithResolvers<void> | undefined;
  let writing: Promise<void> = Promise.resolve();
  let soon = false;

  const writeBatch = async (batch: Row[]) => {
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
  };
  const flush = async () => {
    // One write at a time: wait until no write started while this one waited.
    for (let current = writing; ; current = writing) {
      await current;
      if (writing === current) break;
    }
    if (pending.length === 0) return;
    const batch = pending;
    const waiters = waiting;
    pending = [];
    waiting = undefined;
    writing = writeBatch(batch).finally(() => waiters?.resolve());
    await writing;
  };
  const flushSoon = () => {
    if (soon) return;
    soon = true;
    setImmediate(() => {
      soon = false;
      void flush();
    });
  };
  const timer = setInterval(() => void flush(), options.intervalMs ?? 500);
  timer.unref?.();
  return {
    add(row) {
      pending.push(row);
      if (pending.length >= maxBatch) void flush();
    },
    commit(row) {
      pending.push(row);
      waiting ??= Promise.withResolvers<void>();
      flushSoon();
      return waiting.promise;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
